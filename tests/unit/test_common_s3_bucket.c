/* The bucket CORS document of isim admin bucket: the origins a browser may
 * send, refused when they are not origins (a path, a script URL, markup). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "s3_client.h"

Test(s3_cors, origins_become_one_rule)
{
    char err[256] = "";
    char *xml = s3_cors_xml_new("https://app.example.com, http://localhost:5173,http://[::1]:8080", err, sizeof(err));
    cr_assert(xml, "%s", err);
    cr_assert_str_eq(xml, "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule>"
                          "<AllowedOrigin>https://app.example.com</AllowedOrigin>"
                          "<AllowedOrigin>http://localhost:5173</AllowedOrigin>"
                          "<AllowedOrigin>http://[::1]:8080</AllowedOrigin>"
                          "<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>"
                          "<AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>"
                          "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>"
                          "</CORSRule></CORSConfiguration>");
    free(xml);
    xml = s3_cors_xml_new("*", err, sizeof(err));
    cr_assert(xml && strstr(xml, "<AllowedOrigin>*</AllowedOrigin>"), "%s", err);
    free(xml);
}

Test(s3_cors, what_is_not_an_origin_is_refused)
{
    const char *bad[] = {"https://app.example.com/upload", "javascript:alert(1)", "app.example.com",
                         "https://a<b>.com", "https://", "http://host:", "ftp://files.example.com"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[256] = "";
        cr_assert_null(s3_cors_xml_new(bad[i], err, sizeof(err)), "%s accepted", bad[i]);
        cr_assert(strstr(err, "is not an origin"), "%s", err);
    }
    char err[256] = "";
    cr_assert_null(s3_cors_xml_new(" , ", err, sizeof(err)));
    cr_assert_str_eq(err, "no origin given");
}
