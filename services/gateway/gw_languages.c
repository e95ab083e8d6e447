/* GET /v1/languages: what data/languages.txt lists, for the web app's choice
 * of an interview's language; the first is the default. */
#include "gw_handlers.h"
#include "gw_http.h"

void gw_languages_list(struct mg_connection *conn, gw_app *app)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < app->langs.n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "code", app->langs.v[i].code, "name",
                                              app->langs.v[i].name));
    gw_send_json(conn, 200, json_pack("{s:o, s:s, s:b}", "languages", list, "default",
                                      app->langs.n ? app->langs.v[0].code : "en", "auto", 1));
}
