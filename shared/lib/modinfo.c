/* modinfo.c: .modinfo strings, __versions CRCs and the sections that hold them (Linux's rules). */
#include <stddef.h>
#include <stdint.h>
#include <modvisor/modinfo.h>

/* Freestanding string helpers: the guest side has no libc. */
static int mi_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void mi_set_why(const char **why, const char *text)
{
	if (why)
		*why = text;
}

/* Report a malformed input: set *why and return -MODINFO_ENOEXEC. */
static int mi_bad(const char **why, const char *text)
{
	mi_set_why(why, text);
	return -MODINFO_ENOEXEC;
}

int modinfo_check(const struct modinfo *mi, const char **why)
{
	if (!mi->data || mi->size == 0)
		return 0;
	if (mi->data[mi->size - 1] != '\0')
		return mi_bad(why, ".modinfo does not end with a NUL");
	return 0;
}

/*
 * The string starting at offset (at) matches "key=" and is NUL-terminated
 * inside the section: return the value's offset, else 0 (a value never
 * starts at offset 0, the key comes first).
 */
static uint64_t mi_match(const struct modinfo *mi, uint64_t at, const char *key)
{
	uint64_t i = 0;

	for (; key[i]; i++)
		if (at + i >= mi->size || mi->data[at + i] != key[i])
			return 0;
	if (at + i >= mi->size || mi->data[at + i] != '=')
		return 0;
	for (uint64_t j = at + i + 1; j < mi->size; j++)
		if (mi->data[j] == '\0')
			return at + i + 1;
	return 0;       /* unterminated last string: never handed out */
}

/*
 * Offset of the string after the one containing offset (at), skipping its
 * remaining bytes and then any padding NULs, or mi->size at the end: the
 * bounded form of Linux's next_string().
 */
static uint64_t mi_next_string(const struct modinfo *mi, uint64_t at)
{
	while (at < mi->size && mi->data[at] != '\0')
		at++;
	while (at < mi->size && mi->data[at] == '\0')
		at++;
	return at;
}

const char *modinfo_get_next(const struct modinfo *mi, const char *key,
			     const char *prev)
{
	uint64_t at = 0;

	if (!mi->data || mi->size == 0)
		return NULL;
	if (prev) {
		/* A foreign pointer gives no match rather than a wild read. */
		if (prev < mi->data || (uint64_t)(prev - mi->data) >= mi->size)
			return NULL;
		at = mi_next_string(mi, (uint64_t)(prev - mi->data));
	}
	/* Linux looks at offset 0 even when it is padding; that never matches. */
	for (; at < mi->size; at = mi_next_string(mi, at)) {
		uint64_t val = mi_match(mi, at, key);

		if (val)
			return mi->data + val;
	}
	return NULL;
}

const char *modinfo_get(const struct modinfo *mi, const char *key)
{
	return modinfo_get_next(mi, key, NULL);
}

const char *modinfo_vermagic(const struct modinfo *mi)
{
	return modinfo_get(mi, "vermagic");
}

const char *modinfo_license(const struct modinfo *mi)
{
	return modinfo_get(mi, "license");
}

const char *modinfo_name(const struct modinfo *mi)
{
	return modinfo_get(mi, "name");
}

int modinfo_intree(const struct modinfo *mi)
{
	return modinfo_get(mi, "intree") != NULL;
}

/* include/linux/license.h: license_is_gpl_compatible(), exact matches only. */
static const char *const mi_gpl_licenses[] = {
	"GPL",
	"GPL v2",
	"GPL and additional rights",
	"Dual BSD/GPL",
	"Dual MIT/GPL",
	"Dual MPL/GPL",
};

int modinfo_license_gpl_compatible(const char *license)
{
	if (!license)
		return 0;
	for (size_t i = 0; i < sizeof(mi_gpl_licenses) / sizeof(mi_gpl_licenses[0]); i++)
		if (mi_streq(license, mi_gpl_licenses[i]))
			return 1;
	return 0;
}

/* The rest of (s) from its first space on (Linux: s + strcspn(s, " ")). */
static const char *mi_after_first_word(const char *s)
{
	while (*s && *s != ' ')
		s++;
	return s;
}

int modinfo_same_magic(const char *a, const char *b, int has_crcs)
{
	if (has_crcs) {
		a = mi_after_first_word(a);
		b = mi_after_first_word(b);
	}
	return mi_streq(a, b);
}

#define MV_ENTRY        sizeof(struct mv_modversion)
#define MV_NAME_OFF     offsetof(struct mv_modversion, name)
#define MV_NAME_LEN     (MV_ENTRY - MV_NAME_OFF)

static uint64_t mi_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int mi_name_terminated(const uint8_t *name)
{
	for (uint64_t i = 0; i < MV_NAME_LEN; i++)
		if (name[i] == '\0')
			return 1;
	return 0;
}

int modversions_init(struct modversions *mv, const void *data, uint64_t size,
		     const char **why)
{
	mv->data = NULL;
	mv->count = 0;
	if (!data)
		return 0;
	if (size % MV_ENTRY != 0)
		return mi_bad(why, "__versions size is not a multiple of 64 bytes");
	for (uint64_t i = 0; i < size / MV_ENTRY; i++)
		if (!mi_name_terminated((const uint8_t *)data + i * MV_ENTRY + MV_NAME_OFF))
			return mi_bad(why, "__versions entry name has no NUL within 56 bytes");
	mv->data = data;
	mv->count = size / MV_ENTRY;
	return 0;
}

int modversions_find(const struct modversions *mv, const char *symbol,
		     uint64_t *crc)
{
	for (uint64_t i = 0; mv->data && i < mv->count; i++) {
		const uint8_t *entry = mv->data + i * MV_ENTRY;

		if (!mi_streq((const char *)entry + MV_NAME_OFF, symbol))
			continue;
		if (crc)
			*crc = mi_le64(entry);
		return 0;
	}
	return -MODINFO_ENOENT;
}

enum modversion_verdict modversions_check(const struct modversions *mv,
					  const char *symbol,
					  const uint32_t *crc)
{
	uint64_t want;

	if (!crc)
		return MODVERSION_OK;
	if (!mv->data)
		return MODVERSION_NO_VERSIONS;
	if (modversions_find(mv, symbol, &want) != 0)
		return MODVERSION_NO_SYMBOL;
	return want == (uint64_t)*crc ? MODVERSION_OK : MODVERSION_MISMATCH;
}

/* ---- the ELF64 section finder ------------------------------------------ */

#define MI_EHDR_SIZE    64
#define MI_SHDR_SIZE    64
#define MI_ET_REL       1
#define MI_EM_X86_64    62
#define MI_SHT_NOBITS   8
#define MI_SHF_ALLOC    0x2

static uint16_t mi_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t mi_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One section header, decoded. */
struct mi_shdr {
	uint32_t name, type;
	uint64_t flags, offset, size;
};

/* What the finder carries while it walks the section headers. */
struct mi_elf {
	const uint8_t *image;
	uint64_t len, shoff;
	uint32_t shnum;
	uint64_t str_off, str_size;     /* the section-name table */
};

static void mi_shdr_read(const struct mi_elf *e, uint32_t i, struct mi_shdr *sh)
{
	const uint8_t *p = e->image + e->shoff + (uint64_t)i * MI_SHDR_SIZE;

	sh->name = mi_le32(p);
	sh->type = mi_le32(p + 4);
	sh->flags = mi_le64(p + 8);
	sh->offset = mi_le64(p + 24);
	sh->size = mi_le64(p + 32);
}

/* (off, size) lies inside the file, overflow-safe. */
static int mi_in_file(const struct mi_elf *e, uint64_t off, uint64_t size)
{
	uint64_t end;

	return !__builtin_add_overflow(off, size, &end) && end <= e->len;
}

/* The ELF header: identity, type, machine, section table bounds. */
static int mi_elf_header(struct mi_elf *e, const char **why)
{
	const uint8_t *h = e->image;
	uint16_t shentsize, shstrndx;
	uint64_t table;
	struct mi_shdr str;

	if (e->len < MI_EHDR_SIZE || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F')
		return mi_bad(why, "not an ELF file (bad magic or too short)");
	if (h[4] != 2 || h[5] != 1)
		return mi_bad(why, "not ELFCLASS64 little-endian");
	if (mi_le16(h + 16) != MI_ET_REL || mi_le16(h + 18) != MI_EM_X86_64)
		return mi_bad(why, "not an x86-64 relocatable object (ET_REL, EM_X86_64)");
	e->shoff = mi_le64(h + 40);
	shentsize = mi_le16(h + 58);
	e->shnum = mi_le16(h + 60);
	shstrndx = mi_le16(h + 62);
	if (shentsize != MI_SHDR_SIZE)
		return mi_bad(why, "e_shentsize is not 64");
	table = (uint64_t)e->shnum * MI_SHDR_SIZE;
	if (e->shnum == 0 || !mi_in_file(e, e->shoff, table))
		return mi_bad(why, "section header table lies outside the file");
	if (shstrndx == 0 || shstrndx >= e->shnum)
		return mi_bad(why, "e_shstrndx is not a valid section");
	mi_shdr_read(e, shstrndx, &str);
	if (str.type == MI_SHT_NOBITS || !mi_in_file(e, str.offset, str.size))
		return mi_bad(why, "section-name table lies outside the file");
	e->str_off = str.offset;
	e->str_size = str.size;
	return 0;
}

/* The section's name equals (want), with the name checked to lie in the table. */
static int mi_name_is(const struct mi_elf *e, uint32_t name, const char *want)
{
	const char *tab = (const char *)e->image + e->str_off;
	uint64_t i = 0;

	for (; want[i]; i++)
		if (name + i >= e->str_size || tab[name + i] != want[i])
			return 0;
	return name + i < e->str_size && tab[name + i] == '\0';
}

/* The name starts inside the table and its NUL does too. */
static int mi_name_ok(const struct mi_elf *e, uint32_t name)
{
	const char *tab = (const char *)e->image + e->str_off;

	for (uint64_t i = name; i < e->str_size; i++)
		if (tab[i] == '\0')
			return 1;
	return 0;
}

/* Record section (i) as a found one, after checking its bytes are in the file. */
static int mi_take(const struct mi_elf *e, uint32_t i, const struct mi_shdr *sh,
		   uint32_t *index, uint64_t *off, uint64_t *size,
		   const char **why, const char *bad)
{
	if (sh->type == MI_SHT_NOBITS || !mi_in_file(e, sh->offset, sh->size))
		return mi_bad(why, bad);
	*index = i;
	*off = sh->offset;
	*size = sh->size;
	return 0;
}

/* Look at section (i): record it when it is one of ours. */
static int mi_elf_section(const struct mi_elf *e, uint32_t i,
			  struct modinfo_elf *out, const char **why)
{
	struct mi_shdr sh;

	mi_shdr_read(e, i, &sh);
	if (!mi_name_ok(e, sh.name))
		return mi_bad(why, "a section name lies outside the section-name table");
	if (!(sh.flags & MI_SHF_ALLOC))
		return 0;
	if (mi_name_is(e, sh.name, ".modinfo")) {
		if (out->modinfo_index)
			return mi_bad(why, "more than one .modinfo section");
		return mi_take(e, i, &sh, &out->modinfo_index, &out->modinfo_off,
			       &out->modinfo_size, why, ".modinfo lies outside the file");
	}
	if (mi_name_is(e, sh.name, "__versions") && !out->versions_index)
		return mi_take(e, i, &sh, &out->versions_index, &out->versions_off,
			       &out->versions_size, why, "__versions lies outside the file");
	if (mi_name_is(e, sh.name, ".gnu.linkonce.this_module") && !out->this_module_index)
		return mi_take(e, i, &sh, &out->this_module_index, &out->this_module_off,
			       &out->this_module_size, why,
			       ".gnu.linkonce.this_module lies outside the file");
	return 0;
}

int modinfo_elf_find(const void *image, uint64_t len, struct modinfo_elf *out,
		     const char **why)
{
	struct mi_elf e = { .image = image, .len = len };
	int err;

	*out = (struct modinfo_elf){ 0 };
	err = mi_elf_header(&e, why);
	if (err)
		return err;
	for (uint32_t i = 1; i < e.shnum; i++) {
		err = mi_elf_section(&e, i, out, why);
		if (err) {
			*out = (struct modinfo_elf){ 0 };
			return err;
		}
	}
	return 0;
}

int modinfo_from_elf(const void *image, uint64_t len, struct modinfo *mi,
		     struct modversions *mv, const char **why)
{
	const uint8_t *p = image;
	struct modinfo_elf f;
	int err;

	mi->data = NULL;
	mi->size = 0;
	mv->data = NULL;
	mv->count = 0;
	err = modinfo_elf_find(image, len, &f, why);
	if (err)
		return err;
	if (f.modinfo_index) {
		struct modinfo m = { (const char *)p + f.modinfo_off, f.modinfo_size };

		err = modinfo_check(&m, why);
		if (err)
			return err;
		*mi = m;
	}
	if (f.versions_index)
		return modversions_init(mv, p + f.versions_off, f.versions_size, why);
	return 0;
}
