/* ksyms.c: read the kernel ELF's .symtab and sections, and turn an address into symbol+offset. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ksyms.h"

/* The section header table, bounds-checked: a pointer into buf or NULL. */
static const Elf64_Shdr *ksyms_shdrs(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh)
{
	uint64_t end;

	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    __builtin_mul_overflow((uint64_t)eh->e_shnum, sizeof(Elf64_Shdr), &end) ||
	    __builtin_add_overflow(end, eh->e_shoff, &end) || end > len || eh->e_shoff % 8)
		return NULL;
	return (const Elf64_Shdr *)(buf + eh->e_shoff);
}

/* A section's bytes, or NULL when they lie outside the file. */
static const uint8_t *ksyms_bytes(const uint8_t *buf, size_t len, const Elf64_Shdr *s)
{
	uint64_t end;

	if (s->sh_type == SHT_NOBITS || __builtin_add_overflow(s->sh_offset, s->sh_size, &end) ||
	    end > len)
		return NULL;
	return buf + s->sh_offset;
}

static int ksyms_by_va(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->va < y->va ? -1 : x->va > y->va;
}

/* The allocated sections, named through .shstrtab (names cut at 31 bytes). */
static int ksyms_sections(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
			  const Elf64_Shdr *sh, struct ksyms *ks)
{
	const uint8_t *names = NULL;
	uint64_t nlen = 0;

	if (eh->e_shstrndx < eh->e_shnum && (names = ksyms_bytes(buf, len, &sh[eh->e_shstrndx])))
		nlen = sh[eh->e_shstrndx].sh_size;
	ks->sec = calloc(eh->e_shnum, sizeof(*ks->sec));
	if (!ks->sec)
		return -ENOMEM;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		struct ksec *k = &ks->sec[ks->nsec];

		if (!(sh[i].sh_flags & SHF_ALLOC) || sh[i].sh_size == 0)
			continue;
		k->va = sh[i].sh_addr;
		k->size = sh[i].sh_size;
		if (names && sh[i].sh_name < nlen)
			snprintf(k->name, sizeof(k->name), "%.*s", (int)(nlen - sh[i].sh_name),
				 (const char *)names + sh[i].sh_name);
		ks->nsec++;
	}
	return 0;
}

/* Function and object symbols of one SHT_SYMTAB with its string table. */
static int ksyms_symbols(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
			 const Elf64_Shdr *sh, const Elf64_Shdr *st, struct ksyms *ks)
{
	const uint8_t *syms = ksyms_bytes(buf, len, st), *str;
	uint64_t n = st->sh_size / sizeof(Elf64_Sym), slen;

	if (!syms || st->sh_link >= eh->e_shnum || !(str = ksyms_bytes(buf, len, &sh[st->sh_link])))
		return -ENOEXEC;
	slen = sh[st->sh_link].sh_size;
	ks->sym = calloc(n ? n : 1, sizeof(*ks->sym));
	if (!ks->sym)
		return -ENOMEM;
	for (uint64_t i = 0; i < n; i++) {
		Elf64_Sym s;

		memcpy(&s, syms + i * sizeof(s), sizeof(s));
		if ((ELF64_ST_TYPE(s.st_info) != STT_FUNC && ELF64_ST_TYPE(s.st_info) != STT_OBJECT) ||
		    s.st_name >= slen)
			continue;
		ks->sym[ks->nsym].va = s.st_value;
		ks->sym[ks->nsym].name = strndup((const char *)str + s.st_name, slen - s.st_name);
		if (!ks->sym[ks->nsym].name)
			return -ENOMEM;
		ks->nsym++;
	}
	qsort(ks->sym, ks->nsym, sizeof(*ks->sym), ksyms_by_va);
	return 0;
}

int ksyms_read(const uint8_t *buf, size_t len, struct ksyms *ks)
{
	const Elf64_Shdr *sh;
	Elf64_Ehdr eh;
	int ret;

	memset(ks, 0, sizeof(*ks));
	if (len < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || !(sh = ksyms_shdrs(buf, len, &eh)))
		return -ENOEXEC;
	ret = ksyms_sections(buf, len, &eh, sh, ks);
	for (unsigned i = 0; ret == 0 && i < eh.e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB && !ks->sym)
			ret = ksyms_symbols(buf, len, &eh, sh, &sh[i], ks);
	if (ret)
		ksyms_free(ks);
	return ret;
}

const char *ksyms_describe(const struct ksyms *ks, uint64_t va, char *out, size_t n)
{
	const struct ksec *sec = NULL;
	size_t lo = 0, hi = ks->nsym;

	out[0] = '\0';
	for (size_t i = 0; i < ks->nsec && !sec; i++)
		if (va >= ks->sec[i].va && va - ks->sec[i].va < ks->sec[i].size)
			sec = &ks->sec[i];
	if (!sec)
		return out;
	while (lo < hi) {               /* the last symbol at or below va */
		size_t mid = lo + (hi - lo) / 2;
		if (ks->sym[mid].va <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && ks->sym[lo - 1].va >= sec->va)
		snprintf(out, n, "%s+0x%llx (%s)", ks->sym[lo - 1].name,
			 (unsigned long long)(va - ks->sym[lo - 1].va), sec->name);
	else
		snprintf(out, n, "(%s+0x%llx)", sec->name, (unsigned long long)(va - sec->va));
	return out;
}

void ksyms_free(struct ksyms *ks)
{
	for (size_t i = 0; i < ks->nsym; i++)
		free(ks->sym[i].name);
	free(ks->sym);
	free(ks->sec);
	memset(ks, 0, sizeof(*ks));
}
