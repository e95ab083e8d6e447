/* Routes FFmpeg's own log lines into the JSON-lines log, so a service's
 * stdout stays one JSON object per line. */
#ifndef ISIM_AVLOG_H
#define ISIM_AVLOG_H

void avlog_route_to_json(void);

#endif
