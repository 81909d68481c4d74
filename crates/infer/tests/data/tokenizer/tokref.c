// Reference tokenizer driver over llama.cpp (dev-only tool, not part of the project).
// usage: tokref MODEL enc ADD_SPECIAL PARSE_SPECIAL < records(\0-separated)  -> one line of ids per record
//        tokref MODEL pieces                                                -> "id hex" per token
//        tokref MODEL eog                                                   -> eog ids
//        tokref MODEL chat ADD_ASS < role\0content\0role\0content...        -> rendered text (builtin template)
#include "llama.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(size_t *n) {
    size_t cap = 1 << 20; *n = 0; char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + *n, 1, cap - *n, stdin)) > 0) { *n += r; if (*n == cap) { cap *= 2; buf = realloc(buf, cap); } }
    return buf;
}

static void quiet(enum ggml_log_level l, const char *t, void *u) { (void)l; (void)t; (void)u; }

int main(int argc, char **argv) {
    llama_log_set(quiet, NULL);
    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    mp.vocab_only = true;
    struct llama_model *m = llama_model_load_from_file(argv[1], mp);
    if (!m) { fprintf(stderr, "load failed\n"); return 1; }
    const struct llama_vocab *v = llama_model_get_vocab(m);
    int nv = llama_vocab_n_tokens(v);
    if (!strcmp(argv[2], "enc")) {
        int add = atoi(argv[3]), parse = atoi(argv[4]);
        size_t n; char *buf = read_all(&n);
        int32_t cap = (int32_t)(n * 2 + 16);
        int32_t *toks = malloc(sizeof(int32_t) * cap);
        size_t start = 0;
        for (size_t i = 0; i <= n; i++) {
            if (i == n || buf[i] == '\0') {
                if (i == n && start >= n) break;
                int k = llama_tokenize(v, buf + start, (int32_t)(i - start), toks, cap, add, parse);
                for (int j = 0; j < k; j++) printf(j ? " %d" : "%d", toks[j]);
                printf("\n");
                start = i + 1;
            }
        }
    } else if (!strcmp(argv[2], "pieces")) {
        char p[65536];
        for (int t = 0; t < nv; t++) {
            int k = llama_token_to_piece(v, t, p, sizeof p, 0, true);
            printf("%d ", t);
            for (int j = 0; j < k; j++) printf("%02x", (unsigned char)p[j]);
            printf("\n");
        }
    } else if (!strcmp(argv[2], "eog")) {
        for (int t = 0; t < nv; t++) if (llama_vocab_is_eog(v, t)) printf("%d\n", t);
    } else if (!strcmp(argv[2], "chat")) {
        size_t n; char *buf = read_all(&n);
        struct llama_chat_message msgs[64]; int nm = 0; size_t s = 0; int role = 1; const char *r = NULL;
        for (size_t i = 0; i < n; i++) if (buf[i] == '\0') {
            if (role) r = buf + s; else { msgs[nm].role = r; msgs[nm].content = buf + s; nm++; }
            role = !role; s = i + 1;
        }
        const char *tmpl = llama_model_chat_template(m, NULL);
        static char out[1 << 16];
        int k = llama_chat_apply_template(tmpl, msgs, nm, atoi(argv[3]), out, sizeof out);
        if (k < 0) { printf("<<unsupported>>"); return 0; }
        fwrite(out, 1, k, stdout);
    }
    return 0;
}
