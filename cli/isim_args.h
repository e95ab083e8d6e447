/* Command-line helpers the isim commands share. */
#ifndef ISIM_ARGS_H
#define ISIM_ARGS_H

/* The value of option name at argv[*i] ("--name VALUE" or "--name=VALUE"),
 * advancing *i; NULL when argv[*i] is not that option. Sets *missing when the
 * option has no value. */
const char *isim_option(int argc, char **argv, int *i, const char *name, int *missing);

#endif
