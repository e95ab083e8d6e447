/* isim admin: the one-time and upgrade-time work an operator (or the Helm
 * chart's hook Jobs) runs before the services start. */
#ifndef ISIM_ADMIN_H
#define ISIM_ADMIN_H

#include <stdio.h>

/* argv[0] is "admin". Returns the process exit code. */
int isim_admin_main(int argc, char **argv);
void isim_admin_usage(FILE *out);

#endif
