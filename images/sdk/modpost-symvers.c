/* modpost-symvers.c: read and write Module.symvers in Linux's format. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modpost.h"

/*
 * One line per export, fields separated by tabs, as Linux's modpost writes:
 *   0xCRC  NAME  MODULE  EXPORT_SYMBOL|EXPORT_SYMBOL_GPL  NAMESPACE
 * MODULE is "vmlinux" for the kernel; NAMESPACE is always empty here.
 */

int mp_symvers_add(struct mp_symvers *sv, const char *name, const char *module,
		   uint32_t crc, bool gpl)
{
	struct mp_export *e;

	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 64;
		struct mp_export *nv = realloc(sv->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		sv->v = nv;
		sv->cap = cap;
	}
	e = &sv->v[sv->n];
	e->name = strdup(name);
	e->module = strdup(module);
	e->crc = crc;
	e->gpl = gpl;
	if (!e->name || !e->module)
		return -ENOMEM;
	sv->n++;
	return 0;
}

struct mp_export *mp_symvers_find(const struct mp_symvers *sv, const char *name)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i].name, name))
			return &sv->v[i];
	return NULL;
}

/* symvers_parse_line(line, sv): one "0xCRC\tNAME\tMODULE\tTYPE\t..." line. */
static int symvers_parse_line(char *line, struct mp_symvers *sv)
{
	char *f[4], *save = NULL, *end;
	unsigned long crc;

	for (int i = 0; i < 4; i++) {
		f[i] = strtok_r(i ? NULL : line, "\t\n", &save);
		if (!f[i])
			return -EINVAL;
	}
	errno = 0;
	crc = strtoul(f[0], &end, 16);
	if (errno || *end || crc > 0xffffffffUL)
		return -EINVAL;
	if (strcmp(f[3], "EXPORT_SYMBOL") && strcmp(f[3], "EXPORT_SYMBOL_GPL"))
		return -EINVAL;
	return mp_symvers_add(sv, f[1], f[2], (uint32_t)crc, !strcmp(f[3], "EXPORT_SYMBOL_GPL"));
}

int mp_symvers_read(const char *path, struct mp_symvers *sv)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "modpost: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (!rc && getline(&line, &cap, f) > 0) {
		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		rc = symvers_parse_line(line, sv);
		if (rc == -EINVAL)
			fprintf(stderr, "modpost: %s:%u: not a Module.symvers line\n", path, lineno);
	}
	free(line);
	fclose(f);
	return rc;
}

static int export_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mp_export *)a)->name, ((const struct mp_export *)b)->name);
}

int mp_symvers_write(const char *path, const struct mp_symvers *sv, const char *module)
{
	struct mp_export *sorted = malloc((sv->n ? sv->n : 1) * sizeof(*sorted));
	size_t n = 0;
	FILE *f;

	if (!sorted)
		return -ENOMEM;
	for (size_t i = 0; i < sv->n; i++)
		if (!module || !strcmp(sv->v[i].module, module))
			sorted[n++] = sv->v[i];
	qsort(sorted, n, sizeof(*sorted), export_cmp);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "modpost: %s: %s\n", path, strerror(errno));
		free(sorted);
		return -errno;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "0x%08x\t%s\t%s\t%s\t\n", sorted[i].crc, sorted[i].name,
			sorted[i].module, sorted[i].gpl ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL");
	free(sorted);
	if (fclose(f)) {
		fprintf(stderr, "modpost: %s: write failed\n", path);
		return -EIO;
	}
	return 0;
}
