#include "ps_word.h"

#include <ctype.h>
#include <string.h>

/* Disfluencies worth keeping when a model writes them as filler tokens. */
static const char *const DISFLUENCIES[] = {"uh", "um", "er", "ah", "hmm", "erm", "mm", "hm"};

static int is_bracket(char c)
{
    return c == '+' || c == '<' || c == '>' || c == '[' || c == ']' || c == '_';
}

static int is_disfluency(const char *w)
{
    for (size_t i = 0; i < sizeof DISFLUENCIES / sizeof DISFLUENCIES[0]; i++)
        if (strcmp(w, DISFLUENCIES[i]) == 0)
            return 1;
    return 0;
}

int ps_word_normalise(const char *token, char *out, size_t outlen)
{
    if (!token || outlen == 0)
        return 0;
    size_t len = strlen(token);
    /* "word(2)": alternate pronunciation of word. */
    const char *paren = strchr(token, '(');
    if (paren && paren > token && token[len - 1] == ')')
        len = (size_t)(paren - token);

    int filler = len > 0 && is_bracket(token[0]);
    size_t b = 0, e = len;
    while (b < e && is_bracket(token[b]))
        b++;
    while (e > b && is_bracket(token[e - 1]))
        e--;
    if (e == b || e - b >= outlen)
        return 0;
    for (size_t i = b; i < e; i++)
        out[i - b] = (char)tolower((unsigned char)token[i]);
    out[e - b] = '\0';
    /* Bracketed tokens are silence or noise unless they name a disfluency. */
    if (filler && !is_disfluency(out))
        return 0;
    return 1;
}
