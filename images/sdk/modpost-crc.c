/* modpost-crc.c: symbol version CRCs: CRC-32 of a declaration's normalized text (docs/modversions.md). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "modpost.h"

/* One top-level declaration: tokens [start, end) of the file, body excluded. */
struct decl {
	size_t start, end;
};

struct mp_crc_file {
	char       **tok;
	size_t       n_tok;
	struct decl *decl;
	size_t       n_decl;
};

/* A small growable string. */
struct sbuf {
	char  *s;
	size_t len, cap;
};

static int sbuf_add(struct sbuf *b, const char *s)
{
	size_t n = strlen(s), need = b->len + n + 2;

	if (need > b->cap) {
		size_t cap = need * 2;
		char *ns = realloc(b->s, cap);

		if (!ns)
			return -ENOMEM;
		b->s = ns;
		b->cap = cap;
	}
	if (b->len)
		b->s[b->len++] = ' ';
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
	return 0;
}

static bool is_ident(const char *t)
{
	return isalpha((unsigned char)t[0]) || t[0] == '_';
}

static int tok_push(struct mp_crc_file *cf, const char *s, size_t n)
{
	char **nt = realloc(cf->tok, (cf->n_tok + 1) * sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	cf->tok = nt;
	if (!(nt[cf->n_tok] = strndup(s, n)))
		return -ENOMEM;
	cf->n_tok++;
	return 0;
}

/* tok_len(p): length of the C token at p (p is not whitespace). */
static size_t tok_len(const char *p)
{
	size_t n = 1;

	if (is_ident(p)) {
		while (isalnum((unsigned char)p[n]) || p[n] == '_')
			n++;
	} else if (isdigit((unsigned char)*p)) {
		while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.')
			n++;
	} else if (*p == '"' || *p == '\'') {
		while (p[n] && p[n] != *p)
			n += (p[n] == '\\' && p[n + 1]) ? 2 : 1;
		if (p[n])
			n++;
	} else if (!strncmp(p, "...", 3)) {
		n = 3;
	}
	return n;
}

/* tokenize(cf, text): split preprocessed C into tokens, skipping # line markers. */
static int tokenize(struct mp_crc_file *cf, const char *p)
{
	bool bol = true;

	while (*p) {
		size_t n;

		if (*p == '\n') {
			bol = true;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (bol && *p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		bol = false;
		n = tok_len(p);
		if (tok_push(cf, p, n))
			return -ENOMEM;
		p += n;
	}
	return 0;
}

static int decl_push(struct mp_crc_file *cf, size_t start, size_t end)
{
	struct decl *nd;

	if (end <= start)
		return 0;
	nd = realloc(cf->decl, (cf->n_decl + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	cf->decl = nd;
	nd[cf->n_decl++] = (struct decl){ start, end };
	return 0;
}

/*
 * split_decls(cf): cut the token stream into top-level declarations at ';'
 * and at function bodies ('{' right after ')'), whose contents are skipped.
 */
static int split_decls(struct mp_crc_file *cf)
{
	size_t start = 0;
	int depth = 0;

	for (size_t i = 0; i < cf->n_tok; i++) {
		const char *t = cf->tok[i];

		if (depth == 0 && !strcmp(t, "{") && i > start && !strcmp(cf->tok[i - 1], ")")) {
			int d = 0;

			if (decl_push(cf, start, i))
				return -ENOMEM;
			for (; i < cf->n_tok; i++) {
				d += !strcmp(cf->tok[i], "{") - !strcmp(cf->tok[i], "}");
				if (d == 0)
					break;
			}
			start = i + 1;
			continue;
		}
		if (strchr("([{", t[0]) && t[1] == '\0')
			depth++;
		else if (strchr(")]}", t[0]) && t[1] == '\0')
			depth--;
		else if (depth == 0 && !strcmp(t, ";")) {
			if (decl_push(cf, start, i))
				return -ENOMEM;
			start = i + 1;
		}
	}
	return 0;
}

struct mp_crc_file *mp_crc_file_load(const char *path)
{
	struct mp_crc_file *cf = calloc(1, sizeof(*cf));
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0;
	int rc = -ENOMEM;

	if (!f) {
		fprintf(stderr, "modpost: %s: %s\n", path, strerror(errno));
		free(cf);
		return NULL;
	}
	if (cf && getdelim(&text, &len, '\0', f) >= 0)
		rc = tokenize(cf, text);
	if (!rc)
		rc = split_decls(cf);
	free(text);
	fclose(f);
	if (rc && cf) {
		fprintf(stderr, "modpost: %s: cannot read declarations\n", path);
		mp_crc_file_free(cf);
		return NULL;
	}
	return cf;
}

void mp_crc_file_free(struct mp_crc_file *cf)
{
	if (!cf)
		return;
	for (size_t i = 0; i < cf->n_tok; i++)
		free(cf->tok[i]);
	free(cf->tok);
	free(cf->decl);
	free(cf);
}

/* Words that do not change a declaration's ABI and are left out of its text. */
static bool is_noise_word(const char *t)
{
	static const char *const words[] = {
		"extern", "static", "inline", "__inline", "__inline__",
		"__extension__", "register", "restrict", "__restrict",
		"__restrict__", NULL
	};

	for (const char *const *w = words; *w; w++)
		if (!strcmp(t, *w))
			return true;
	return false;
}

static bool is_attr_word(const char *t)
{
	return !strcmp(t, "__attribute__") || !strcmp(t, "__attribute") ||
	       !strcmp(t, "__asm__") || !strcmp(t, "__asm") || !strcmp(t, "asm");
}

/* skip_parens(cf, i, end): index after the balanced (...) group starting at i. */
static size_t skip_parens(const struct mp_crc_file *cf, size_t i, size_t end)
{
	int d = 0;

	for (; i < end; i++) {
		d += !strcmp(cf->tok[i], "(") - !strcmp(cf->tok[i], ")");
		if (d == 0)
			return i + 1;
	}
	return end;
}

/*
 * decl_tokens(cf, d, out, n): the declaration's significant tokens:
 * without attributes, asm labels, noise words and any initializer.
 */
static size_t decl_tokens(const struct mp_crc_file *cf, const struct decl *d,
			  const char **out, size_t max)
{
	size_t n = 0;
	int depth = 0;

	for (size_t i = d->start; i < d->end && n < max; i++) {
		const char *t = cf->tok[i];

		if (is_attr_word(t) && i + 1 < d->end && !strcmp(cf->tok[i + 1], "(")) {
			i = skip_parens(cf, i + 1, d->end) - 1;
			continue;
		}
		if (is_noise_word(t))
			continue;
		if (depth == 0 && !strcmp(t, "="))
			break;
		depth += (strchr("([{", t[0]) && !t[1]) - (strchr(")]}", t[0]) && !t[1]);
		out[n++] = t;
	}
	return n;
}

static bool is_type_word(const char *t)
{
	static const char *const words[] = {
		"void", "char", "short", "int", "long", "float", "double",
		"signed", "unsigned", "_Bool", "const", "volatile", "__int128",
		"_Complex", "struct", "union", "enum", NULL
	};

	for (const char *const *w = words; *w; w++)
		if (!strcmp(t, *w))
			return true;
	return false;
}

#define MAX_DECL_TOKENS 4096

/* typedef_index(cf, name): the index of the typedef declaring name, or -1. */
static long typedef_index(const struct mp_crc_file *cf, const char *name)
{
	static const char *tk[MAX_DECL_TOKENS];

	for (size_t d = 0; d < cf->n_decl; d++) {
		size_t n = decl_tokens(cf, &cf->decl[d], tk, MAX_DECL_TOKENS);

		if (n < 2 || strcmp(tk[0], "typedef"))
			continue;
		if (!strcmp(tk[n - 1], name))
			return (long)d;
		for (size_t i = 0; i + 3 < n; i++)
			if (!strcmp(tk[i], "(") && !strcmp(tk[i + 1], "*") &&
			    !strcmp(tk[i + 2], name) && !strcmp(tk[i + 3], ")"))
				return (long)d;
	}
	return -1;
}

/* tagdef_range(cf, kw, tag, start, end): where "kw tag { ... }" is defined; false if nowhere. */
static bool tagdef_range(const struct mp_crc_file *cf, const char *kw, const char *tag,
			 size_t *start, size_t *end)
{
	for (size_t i = 0; i + 2 < cf->n_tok; i++) {
		int d = 0;

		if (strcmp(cf->tok[i], kw) || strcmp(cf->tok[i + 1], tag) ||
		    strcmp(cf->tok[i + 2], "{"))
			continue;
		for (size_t j = i + 2; j < cf->n_tok; j++) {
			d += !strcmp(cf->tok[j], "{") - !strcmp(cf->tok[j], "}");
			if (d == 0) {
				*start = i;
				*end = j + 1;
				return true;
			}
		}
	}
	return false;
}

/*
 * drop_param_names(cf, tk, n, k, keep): clear keep[] for the parameter names
 * of the function whose name is tk[k]: names do not change the ABI.
 */
static void drop_param_names(const struct mp_crc_file *cf, const char **tk, size_t n,
			     size_t k, bool *keep)
{
	size_t a = k + 2;
	int depth = 1;

	for (size_t i = k + 2; i < n && depth > 0; i++) {
		const char *t = tk[i];

		if (!strcmp(t, "(") || !strcmp(t, "["))
			depth++;
		else if (!strcmp(t, ")") || !strcmp(t, "]"))
			depth--;
		if ((depth == 1 && !strcmp(t, ",")) || depth == 0) {
			const char *last = tk[i - 1];

			if (i - a >= 2 && is_ident(last) && !is_type_word(last) &&
			    strcmp(tk[i - 2], "struct") && strcmp(tk[i - 2], "union") &&
			    strcmp(tk[i - 2], "enum") && typedef_index(cf, last) < 0)
				keep[i - 1] = false;
			a = i + 1;
		}
	}
}

/* decl_names(tk, n, name): index of name declared at depth 0 in tk, or -1. */
static long decl_names(const char **tk, size_t n, const char *name)
{
	int depth = 0;

	if (n && !strcmp(tk[0], "typedef"))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(tk[i], "typeof") || !strcmp(tk[i], "__typeof__") ||
		    !strcmp(tk[i], "__typeof"))
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *t = tk[i];

		if (depth == 0 && !strcmp(t, name) && (i == 0 || (strcmp(tk[i - 1], "struct") &&
		    strcmp(tk[i - 1], "union") && strcmp(tk[i - 1], "enum"))))
			return (long)i;
		depth += (strchr("([{", t[0]) && !t[1]) - (strchr(")]}", t[0]) && !t[1]);
	}
	return -1;
}

/* A queue of the types a declaration refers to, each expanded once. */
struct typeq {
	char  *item[256];
	size_t n;
};

static void typeq_note(const struct mp_crc_file *cf, struct typeq *q, const char *kw,
		       const char *name)
{
	char key[512];
	size_t s, e;

	if (kw && !tagdef_range(cf, kw, name, &s, &e))
		return;
	if (!kw && typedef_index(cf, name) < 0)
		return;
	snprintf(key, sizeof(key), "%s %s", kw ? kw : "typedef", name);
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->item[i], key))
			return;
	if (q->n < sizeof(q->item) / sizeof(q->item[0]))
		q->item[q->n++] = strdup(key);
}

/* emit(cf, b, q, tk, keep, n): append tokens to b and queue the types they use. */
static int emit(const struct mp_crc_file *cf, struct sbuf *b, struct typeq *q,
		const char **tk, const bool *keep, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (keep && !keep[i])
			continue;
		if (sbuf_add(b, tk[i]))
			return -ENOMEM;
		if ((!strcmp(tk[i], "struct") || !strcmp(tk[i], "union") ||
		     !strcmp(tk[i], "enum")) && i + 1 < n && is_ident(tk[i + 1]))
			typeq_note(cf, q, tk[i], tk[i + 1]);
		else if (is_ident(tk[i]) && !is_type_word(tk[i]) && (i == 0 ||
			 (strcmp(tk[i - 1], "struct") && strcmp(tk[i - 1], "union") &&
			  strcmp(tk[i - 1], "enum"))))
			typeq_note(cf, q, NULL, tk[i]);
	}
	return 0;
}

/* expand_types(cf, b, q): append "; DEFINITION" for every queued type, in order. */
static int expand_types(const struct mp_crc_file *cf, struct sbuf *b, struct typeq *q)
{
	static const char *tk[MAX_DECL_TOKENS];

	for (size_t i = 0; i < q->n; i++) {
		char kw[16], name[496];
		size_t s, e, n;

		if (sscanf(q->item[i], "%15s %495s", kw, name) != 2 || sbuf_add(b, ";"))
			return -ENOMEM;
		if (!strcmp(kw, "typedef")) {
			long d = typedef_index(cf, name);

			n = decl_tokens(cf, &cf->decl[d], tk, MAX_DECL_TOKENS);
			if (emit(cf, b, q, tk, NULL, n))
				return -ENOMEM;
		} else if (tagdef_range(cf, kw, name, &s, &e)) {
			if (emit(cf, b, q, (const char **)cf->tok + s, NULL, e - s))
				return -ENOMEM;
		}
	}
	return 0;
}

int mp_crc_of(struct mp_crc_file *cf, const char *name, uint32_t *crc, char **text)
{
	static const char *tk[MAX_DECL_TOKENS];
	static bool keep[MAX_DECL_TOKENS];
	struct sbuf b = { 0 };
	struct typeq q = { .n = 0 };
	int rc = -ENOENT;

	for (size_t d = 0; d < cf->n_decl && rc == -ENOENT; d++) {
		size_t n = decl_tokens(cf, &cf->decl[d], tk, MAX_DECL_TOKENS);
		long k = decl_names(tk, n, name);

		if (k < 0)
			continue;
		for (size_t i = 0; i < n; i++)
			keep[i] = true;
		if ((size_t)k + 1 < n && !strcmp(tk[k + 1], "("))
			drop_param_names(cf, tk, n, (size_t)k, keep);
		rc = emit(cf, &b, &q, tk, keep, n);
		if (!rc)
			rc = expand_types(cf, &b, &q);
	}
	if (!rc) {
		*crc = (uint32_t)crc32(0, (const Bytef *)b.s, (uInt)b.len);
		if (text)
			*text = b.s;
		else
			free(b.s);
	} else {
		free(b.s);
	}
	for (size_t i = 0; i < q.n; i++)
		free(q.item[i]);
	return rc;
}

bool mp_license_is_gpl(const char *license)
{
	static const char *const gpl[] = {
		"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
		"Dual MIT/GPL", "Dual MPL/GPL", NULL
	};

	for (const char *const *l = gpl; license && *l; l++)
		if (!strcmp(license, *l))
			return true;
	return false;
}
