/* The languages an interview may be in, read from <data_dir>/languages.txt
 * (code | speech-to-text code | name). Codes compare case-insensitively
 * ("pt-br" is "pt-BR"); lookups return the canonical entry. */
#ifndef ISIM_LANG_H
#define ISIM_LANG_H

#include <stddef.h>

#define LANG_CODE_MAX 16
#define LANG_AUTO "auto" /* detect the language from the speech */

typedef struct lang_entry {
    char code[LANG_CODE_MAX];     /* "pt-BR" */
    char stt_code[LANG_CODE_MAX]; /* "pt" */
    char name[64];                /* "Português (Brasil)" */
} lang_entry;

typedef struct lang_table {
    lang_entry *v;
    size_t n;
} lang_table;

/* Reads the table; an unreadable file, a malformed line or an empty table is
 * an error naming the file and line. */
int lang_table_load(const char *data_dir, lang_table *t, char *err, size_t errlen);
void lang_table_release(lang_table *t);
/* The entry of code (case-insensitive), else NULL. */
const lang_entry *lang_find(const lang_table *t, const char *code);
/* The first entry whose speech-to-text code is stt_code ("pt" -> pt-BR), else NULL. */
const lang_entry *lang_find_stt(const lang_table *t, const char *stt_code);
/* "en, pt-BR": the codes for an error message. */
void lang_list_codes(const lang_table *t, char *out, size_t outlen);

#endif
