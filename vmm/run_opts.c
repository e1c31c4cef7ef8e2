/* run_opts.c: pieces of `modvisor run` parsing: -c word splitting, --add, cleanup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run.h"

/* words_push(cmd, w): append w (taking ownership); 0 or -1. */
static int words_push(struct boot_cmd *cmd, char *w)
{
	char **v = realloc(cmd->argv, (cmd->argc + 2) * sizeof(*v));

	if (!v) {
		free(w);
		return -1;
	}
	v[cmd->argc++] = w;
	v[cmd->argc] = NULL;
	cmd->argv = v;
	return 0;
}

void run_words_free(struct boot_cmd *cmd)
{
	int i;

	for (i = 0; i < cmd->argc; i++)
		free(cmd->argv[i]);
	free(cmd->argv);
	cmd->argv = NULL;
	cmd->argc = 0;
}

/*
 * words_next(s, w, err, errlen): copy the word starting at s (not a blank)
 * into w, which has room for strlen(s) + 1; returns the rest of s or NULL
 * on an unterminated quote.
 */
static const char *words_next(const char *s, char *w, char *err, size_t errlen)
{
	char q;

	while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
		if (*s == '\'' || *s == '"') {
			q = *s++;
			while (*s && *s != q) {
				if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*w++ = *s++;
			}
			if (!*s) {
				snprintf(err, errlen, "-c: unterminated %c quote", q);
				return NULL;
			}
			s++;
		} else if (*s == '\\' && s[1]) {
			*w++ = s[1];
			s += 2;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
	return s;
}

int run_split_words(const char *s, struct boot_cmd *cmd, char *err, size_t errlen)
{
	char *w;

	cmd->argc = 0;
	cmd->argv = NULL;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		w = malloc(strlen(s) + 1);
		if (!w)
			goto nomem;
		s = words_next(s, w, err, errlen);
		if (!s) {
			free(w);
			run_words_free(cmd);
			return -1;
		}
		if (words_push(cmd, w))
			goto nomem;
	}
	if (cmd->argc == 0) {
		snprintf(err, errlen, "-c: empty command");
		return -1;
	}
	return 0;
nomem:
	run_words_free(cmd);
	snprintf(err, errlen, "-c: out of memory");
	return -1;
}

int run_words_copy(int argc, char **argv, struct boot_cmd *cmd)
{
	int i;
	char *w;

	cmd->argc = 0;
	cmd->argv = NULL;
	for (i = 0; i < argc; i++) {
		w = strdup(argv[i]);
		if (!w || words_push(cmd, w)) {
			run_words_free(cmd);
			return -1;
		}
	}
	return 0;
}

int run_parse_add(const char *s, struct run_add *add, char *err, size_t errlen)
{
	const char *colon = strrchr(s, ':');

	if (!colon || colon == s || colon[1] != '/') {
		snprintf(err, errlen, "--add '%s': want HOSTPATH:GUESTPATH with an "
			 "absolute GUESTPATH, e.g. ./mymod.ko:/lib/modules/mymod.ko", s);
		return -1;
	}
	add->host = strndup(s, colon - s);
	add->guest = strdup(colon + 1);
	if (!add->host || !add->guest) {
		free(add->host);
		free(add->guest);
		snprintf(err, errlen, "--add: out of memory");
		return -1;
	}
	return 0;
}

int run_parse_program(const char *s, struct run_add *add, char *err, size_t errlen)
{
	const char *colon = strrchr(s, ':'), *base;

	if (colon && colon[1] == '/' && colon != s) {
		add->host = strndup(s, colon - s);
		add->guest = strdup(colon + 1);
	} else {
		base = strrchr(s, '/');
		base = base ? base + 1 : s;
		if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
			snprintf(err, errlen, "--add-program '%s': want a program file, "
				 "e.g. /usr/bin/sha256sum or ./prog:/bin/prog", s);
			return -1;
		}
		add->host = strdup(s);
		add->guest = NULL;
		if (asprintf(&add->guest, "/bin/%s", base) < 0)
			add->guest = NULL;
	}
	if (!add->host || !add->guest) {
		free(add->host);
		free(add->guest);
		snprintf(err, errlen, "--add-program: out of memory");
		return -1;
	}
	return 0;
}

void run_opts_free(struct run_opts *o)
{
	int i;

	for (i = 0; i < o->nadds; i++) {
		free(o->adds[i].host);
		free(o->adds[i].guest);
	}
	free(o->adds);
	for (i = 0; i < o->nprogs; i++) {
		free(o->progs[i].host);
		free(o->progs[i].guest);
	}
	free(o->progs);
	o->progs = NULL;
	o->nprogs = 0;
	for (i = 0; i < o->ncmds; i++)
		run_words_free(&o->cmds[i]);
	free(o->cmds);
	o->adds = NULL;
	o->cmds = NULL;
	o->nadds = o->ncmds = 0;
}
