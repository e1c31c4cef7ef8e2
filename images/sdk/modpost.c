/* modpost.c: the SDK's modpost: resolves a module's symbols and writes NAME.mod.c, or the kernel's CRCs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <modvisor/abi/module.h>
#include <modvisor/version.h>

#include "modpost.h"

/*
 * Two modes, as Linux's scripts/mod/modpost.c plus genksyms:
 *
 *   modpost -k EXPORTS.c -c KAPI.i -o Module.symvers -s CRCS.S
 *     The kernel: every EXPORT_SYMBOL[_GPL](name) line of EXPORTS.c gets
 *     the CRC of name's declaration in KAPI.i (the SDK headers,
 *     preprocessed); writes Module.symvers and an assembler file defining
 *     the absolute __crc_NAME symbols the kernel links in.
 *
 *   modpost -c FILE.i -t NAME
 *     Prints the CRC and the normalized text it is computed from.
 *
 *   modpost [-w] [-i SYMVERS]... [-o OUT.symvers] DIR/NAME.o...
 *     Modules: resolves each object's undefined symbols against the kernel's
 *     and other modules' exports (every -i file and the objects themselves)
 *     and writes DIR/NAME.mod.c: .gnu.linkonce.this_module, .modinfo
 *     (name, vermagic, depends, retpoline) and __versions.  Exports of NAME.o
 *     take their CRCs from DIR/NAME.i (its preprocessed source).  -w turns
 *     errors (unresolved symbols, GPL-only use, duplicate exports, missing
 *     licence) into warnings, for the deliberately broken test modules.
 */

static bool warn_only;
static int n_errors;

static void mp_error(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: modpost: ", warn_only ? "WARNING" : "ERROR");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	if (!warn_only)
		n_errors++;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: modpost -k EXPORTS.c -c KAPI.i -o Module.symvers -s CRCS.S\n"
		"       modpost -c FILE.i -t NAME\n"
		"       modpost [-w] [-i SYMVERS]... [-o OUT.symvers] NAME.o...\n");
	exit(2);
}

/* kernel_exports(path, sv, kapi): the EXPORT_SYMBOL[_GPL](name) lines of exports.c. */
static int kernel_exports(const char *path, struct mp_symvers *sv, struct mp_crc_file *kapi)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, name[128];
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "modpost: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (!rc && getline(&line, &cap, f) > 0) {
		bool gpl = false;
		uint32_t crc;

		lineno++;
		if (sscanf(line, " EXPORT_SYMBOL(%127[A-Za-z0-9_])", name) != 1) {
			if (sscanf(line, " EXPORT_SYMBOL_GPL(%127[A-Za-z0-9_])", name) != 1)
				continue;
			gpl = true;
		}
		if (mp_crc_of(kapi, name, &crc, NULL)) {
			fprintf(stderr, "modpost: %s:%u: %s has no declaration in the SDK headers;"
				" declare it there (docs/sdk.md)\n", path, lineno, name);
			rc = -ENOENT;
		} else if (mp_symvers_find(sv, name)) {
			fprintf(stderr, "modpost: %s:%u: %s exported twice\n", path, lineno, name);
			rc = -EEXIST;
		} else {
			rc = mp_symvers_add(sv, name, "vmlinux", crc, gpl);
		}
	}
	free(line);
	fclose(f);
	return rc;
}

static int write_crc_asm(const char *path, const struct mp_symvers *sv)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "modpost: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "/* Written by modpost from the kernel's exports; do not edit. */\n");
	for (size_t i = 0; i < sv->n; i++)
		fprintf(f, "\t.globl __crc_%s\n\t.set __crc_%s, 0x%08x\n",
			sv->v[i].name, sv->v[i].name, sv->v[i].crc);
	fprintf(f, "\t.section .note.GNU-stack,\"\",@progbits\n");
	return fclose(f) ? -EIO : 0;
}

/* show_crc(path, name): print name's CRC and the text it covers (debugging aid). */
static int show_crc(const char *path, const char *name)
{
	struct mp_crc_file *cf = mp_crc_file_load(path);
	uint32_t crc;
	char *text;

	if (!cf)
		return 1;
	if (mp_crc_of(cf, name, &crc, &text)) {
		fprintf(stderr, "modpost: %s: no declaration of %s\n", path, name);
		mp_crc_file_free(cf);
		return 1;
	}
	printf("0x%08x\t%s\n", crc, text);
	free(text);
	mp_crc_file_free(cf);
	return 0;
}

static int kernel_mode(const char *exports, const char *kapi_path, const char *out,
		       const char *asm_out)
{
	struct mp_symvers sv = { 0 };
	struct mp_crc_file *kapi = mp_crc_file_load(kapi_path);
	int rc;

	if (!kapi)
		return 1;
	rc = kernel_exports(exports, &sv, kapi);
	if (!rc)
		rc = mp_symvers_write(out, &sv, NULL);
	if (!rc)
		rc = write_crc_asm(asm_out, &sv);
	mp_crc_file_free(kapi);
	return rc ? 1 : 0;
}

/* strip_ext(path, ext): a copy of path with ext replaced, or removed if ext is "". */
static char *replace_ext(const char *path, const char *ext)
{
	size_t n = strlen(path);
	const char *dot = strrchr(path, '.');
	char *s;

	if (dot && !strchr(dot, '/'))
		n = (size_t)(dot - path);
	s = malloc(n + strlen(ext) + 1);
	if (s) {
		memcpy(s, path, n);
		strcpy(s + n, ext);
	}
	return s;
}

/* object_exports(obj, sv): add obj's exports with CRCs from its .i file. */
static int object_exports(const struct mp_object *obj, struct mp_symvers *sv)
{
	char *ipath, *modpath;
	struct mp_crc_file *cf;
	int rc = 0;

	if (!obj->n_exports)
		return 0;
	ipath = replace_ext(obj->path, ".i");
	modpath = replace_ext(obj->path, "");
	cf = ipath ? mp_crc_file_load(ipath) : NULL;
	if (!cf || !modpath) {
		free(ipath);
		free(modpath);
		return -ENOENT;
	}
	for (size_t i = 0; i < obj->n_exports && !rc; i++) {
		const char *name = obj->exports[i];
		struct mp_export *old = mp_symvers_find(sv, name);
		uint32_t crc;

		if (mp_crc_of(cf, name, &crc, NULL)) {
			fprintf(stderr, "modpost: %s: no declaration of exported %s\n", ipath, name);
			rc = -ENOENT;
			break;
		}
		if (old)
			mp_error("\"%s\" exported twice: also by %s", name, old->module);
		rc = mp_symvers_add(sv, name, modpath, crc, obj->export_gpl[i]);
	}
	mp_crc_file_free(cf);
	free(ipath);
	free(modpath);
	return rc;
}

/* The parts of NAME.mod.c that depend on the symbols NAME.o uses. */
struct mod_links {
	const struct mp_export **versions;  /* one per resolved symbol */
	size_t n_versions;
	char depends[1024];                 /* "a,b" */
};

static void depends_add(struct mod_links *ml, const char *module)
{
	const char *base = strrchr(module, '/');
	char name[MV_MODULE_NAME_LEN], pat[MV_MODULE_NAME_LEN + 2], list[sizeof(ml->depends) + 2];

	snprintf(name, sizeof(name), "%s", base ? base + 1 : module);
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	snprintf(pat, sizeof(pat), ",%s,", name);
	snprintf(list, sizeof(list), ",%s,", ml->depends);
	if (strstr(list, pat))
		return;
	if (ml->depends[0])
		strncat(ml->depends, ",", sizeof(ml->depends) - strlen(ml->depends) - 1);
	strncat(ml->depends, name, sizeof(ml->depends) - strlen(ml->depends) - 1);
}

/* resolve(obj, sv, ml): look every undefined symbol of obj up, as Linux's modpost does. */
static int resolve(const struct mp_object *obj, const struct mp_symvers *sv,
		   struct mod_links *ml)
{
	char ko[512];
	bool gpl = mp_license_is_gpl(obj->license);

	snprintf(ko, sizeof(ko), "%s.ko", obj->modname);
	if (!obj->license)
		mp_error("missing MODULE_LICENSE() in %s%s", ko, "");
	if (strlen(obj->modname) >= MV_MODULE_NAME_LEN)
		mp_error("%s: module name longer than %s characters", ko, "55");
	ml->versions = calloc(obj->n_undef + 1, sizeof(*ml->versions));
	if (!ml->versions)
		return -ENOMEM;
	for (size_t i = 0; i < obj->n_undef; i++) {
		const char *name = obj->undef[i];
		const struct mp_export *e = mp_symvers_find(sv, name);

		if (!e) {
			if (!obj->undef_weak[i])
				mp_error("\"%s\" [%s] undefined!", name, ko);
			continue;
		}
		if (e->gpl && !gpl)
			mp_error("GPL-incompatible module %s uses GPL-only symbol '%s'", ko, name);
		if (strlen(name) >= sizeof(((struct mv_modversion *)0)->name)) {
			mp_error("%s: symbol name %s too long for __versions", ko, name);
			continue;
		}
		ml->versions[ml->n_versions++] = e;
		if (strcmp(e->module, "vmlinux"))
			depends_add(ml, e->module);
	}
	return 0;
}

static void write_modinfo(FILE *f, const char *id, const char *tag, const char *val)
{
	fprintf(f, "static const char __modinfo_%s[]\n"
		"\t__attribute__((used, section(\".modinfo\"), aligned(1)))\n"
		"\t= \"%s=%s\";\n", id, tag, val);
}

/* write_mod_c(obj, sv, ml): DIR/NAME.mod.c, the second half of NAME.ko. */
static int write_mod_c(const struct mp_object *obj, const struct mp_symvers *sv,
		       const struct mod_links *ml)
{
	char *modpath = replace_ext(obj->path, ""), *path = replace_ext(obj->path, ".mod.c");
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f || !modpath) {
		fprintf(stderr, "modpost: %s: cannot write\n", path ? path : obj->path);
		free(path);
		free(modpath);
		return -EIO;
	}
	fprintf(f, "/* %s: written by modpost; do not edit. */\n"
		"#include <modvisor/abi/module.h>\n\n", path);
	write_modinfo(f, "name", "name", obj->modname);
	write_modinfo(f, "vermagic", "vermagic", MODVISOR_VERMAGIC);
	write_modinfo(f, "retpoline", "retpoline", "Y");
	write_modinfo(f, "depends", "depends", ml->depends);
	fprintf(f, "\n%s%s\nstruct mv_this_module __this_module\n"
		"\t__attribute__((used, section(\".gnu.linkonce.this_module\"), aligned(8))) = {\n"
		"\t.name = \"%s\",\n", obj->has_init ? "int init_module(void);\n" : "",
		obj->has_exit ? "void cleanup_module(void);\n" : "", obj->modname);
	if (obj->has_init)
		fprintf(f, "\t.init = (uint64_t)(unsigned long)init_module,\n");
	if (obj->has_exit)
		fprintf(f, "\t.exit = (uint64_t)(unsigned long)cleanup_module,\n");
	fprintf(f, "\t.abi = MV_MODULE_ABI,\n};\n\n"
		"static const struct mv_modversion ____versions[]\n"
		"\t__attribute__((used, section(\"__versions\"), aligned(8))) = {\n");
	for (size_t i = 0; i < ml->n_versions; i++)
		fprintf(f, "\t{ 0x%08x, \"%s\" },\n", ml->versions[i]->crc, ml->versions[i]->name);
	fprintf(f, "};\n");
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i].module, modpath))
			fprintf(f, "\n__asm__(\"\\t.globl __crc_%s\\n\\t.set __crc_%s, 0x%08x\\n\");",
				sv->v[i].name, sv->v[i].name, sv->v[i].crc);
	fprintf(f, "\n");
	free(path);
	free(modpath);
	return fclose(f) ? -EIO : 0;
}

static int module_mode(char **objs, int n_objs, char **symvers, int n_symvers,
		       const char *out)
{
	struct mp_object *obj = calloc((size_t)n_objs, sizeof(*obj));
	struct mp_symvers sv = { 0 };
	int rc = obj ? 0 : -ENOMEM;

	for (int i = 0; i < n_symvers && !rc; i++)
		rc = mp_symvers_read(symvers[i], &sv);
	for (int i = 0; i < n_objs && !rc; i++)
		rc = mp_object_read(objs[i], &obj[i]);
	for (int i = 0; i < n_objs && !rc; i++)
		rc = object_exports(&obj[i], &sv);
	for (int i = 0; i < n_objs && !rc; i++) {
		struct mod_links ml = { 0 };

		rc = resolve(&obj[i], &sv, &ml);
		if (!rc)
			rc = write_mod_c(&obj[i], &sv, &ml);
		free(ml.versions);
	}
	if (!rc && out) {
		/* Only this run's modules: the kernel's exports have their own file. */
		struct mp_symvers mine = { 0 };

		for (size_t i = 0; i < sv.n && !rc; i++)
			if (strcmp(sv.v[i].module, "vmlinux"))
				rc = mp_symvers_add(&mine, sv.v[i].name, sv.v[i].module,
						    sv.v[i].crc, sv.v[i].gpl);
		if (!rc)
			rc = mp_symvers_write(out, &mine, NULL);
	}
	for (int i = 0; obj && i < n_objs; i++)
		mp_object_free(&obj[i]);
	free(obj);
	return (rc || n_errors) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *exports = NULL, *kapi = NULL, *out = NULL, *asm_out = NULL, *show = NULL;
	char *symvers[64];
	int n_symvers = 0, c;

	while ((c = getopt(argc, argv, "k:c:o:s:i:t:w")) != -1) {
		switch (c) {
		case 'k': exports = optarg; break;
		case 'c': kapi = optarg; break;
		case 'o': out = optarg; break;
		case 's': asm_out = optarg; break;
		case 't': show = optarg; break;
		case 'w': warn_only = true; break;
		case 'i':
			if (n_symvers == (int)(sizeof(symvers) / sizeof(symvers[0])))
				usage();
			symvers[n_symvers++] = optarg;
			break;
		default: usage();
		}
	}
	if (show) {
		if (!kapi || optind != argc)
			usage();
		return show_crc(kapi, show);
	}
	if (exports) {
		if (!kapi || !out || !asm_out || optind != argc)
			usage();
		return kernel_mode(exports, kapi, out, asm_out);
	}
	if (optind == argc)
		usage();
	return module_mode(argv + optind, argc - optind, symvers, n_symvers, out);
}
