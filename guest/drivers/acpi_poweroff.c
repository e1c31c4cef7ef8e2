/* acpi_poweroff.c: power the PC off (S5) as ACPI says: FADT's PM1a_CNT and the DSDT's \_S5 package. */
#include "pc.h"
#include "pio.h"

#define ACPI_TABLE_MAX  (1u << 20)      /* no sane DSDT or RSDT is bigger */
#define SLP_EN          (1u << 13)

struct acpi_header {
	char     sig[4];
	uint32_t length;
	uint8_t  revision, checksum;
	char     oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static uint16_t pm1a_cnt;
static uint16_t slp_typ_s5;

/* A whole table at physical pa whose header names sig, or NULL. */
static const struct acpi_header *acpi_table(uint64_t pa, const char *sig)
{
	const struct acpi_header *h = pc_phys(pa, sizeof(*h));

	if (!h || memcmp(h->sig, sig, 4) || h->length < sizeof(*h) ||
	    h->length > ACPI_TABLE_MAX || !pc_phys(pa, h->length))
		return NULL;
	return h;
}

/* The FADT ("FACP") through the RSDT (ACPI 1.0 tables, which QEMU always gives). */
static const struct acpi_header *acpi_fadt(uint64_t rsdp_pa)
{
	const uint8_t *rsdp = pc_phys(rsdp_pa, 20);
	const struct acpi_header *rsdt;
	uint32_t rsdt_pa, n;

	if (!rsdp || memcmp(rsdp, "RSD PTR ", 8))
		return NULL;
	memcpy(&rsdt_pa, rsdp + 16, 4);
	rsdt = acpi_table(rsdt_pa, "RSDT");
	if (!rsdt)
		return NULL;
	n = (rsdt->length - sizeof(*rsdt)) / 4;
	for (uint32_t i = 0; i < n; i++) {
		const struct acpi_header *t;
		uint32_t pa;

		memcpy(&pa, (const uint8_t *)(rsdt + 1) + 4 * i, 4);
		if ((t = acpi_table(pa, "FACP")))
			return t;
	}
	return NULL;
}

/* An AML integer at p (ZeroOp, OneOp, BytePrefix b, or a bare byte); -1 if none. */
static int aml_byte(const uint8_t *p, const uint8_t *end)
{
	if (p >= end)
		return -1;
	if (*p == 0x0a)
		return p + 1 < end ? p[1] : -1;
	return *p;              /* ZeroOp (0), OneOp (1) or a constant byte */
}

/* SLP_TYPa from "Name (_S5, Package (n) { typa, ... })" in the DSDT. */
static int dsdt_s5(const struct acpi_header *dsdt)
{
	const uint8_t *p = (const uint8_t *)(dsdt + 1);
	const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

	for (; p + 8 < end; p++) {
		const uint8_t *q;

		if (memcmp(p, "_S5_", 4) || p[4] != 0x12)       /* PackageOp */
			continue;
		q = p + 5;
		q += 1 + (*q >> 6);     /* PkgLength: 1-4 bytes */
		q++;                    /* NumElements */
		return aml_byte(q, end);
	}
	return -1;
}

bool acpi_find_poweroff(uint64_t rsdp_pa)
{
	const struct acpi_header *fadt = rsdp_pa ? acpi_fadt(rsdp_pa) : NULL;
	const struct acpi_header *dsdt;
	uint32_t dsdt_pa, cnt;
	int typ;

	if (!fadt || fadt->length < 68)
		return false;
	memcpy(&dsdt_pa, (const uint8_t *)fadt + 40, 4);
	memcpy(&cnt, (const uint8_t *)fadt + 64, 4);
	dsdt = acpi_table(dsdt_pa, "DSDT");
	typ = dsdt ? dsdt_s5(dsdt) : -1;
	if (!cnt || cnt > 0xffff || typ < 0 || typ > 7)
		return false;
	pm1a_cnt = (uint16_t)cnt;
	slp_typ_s5 = (uint16_t)typ;
	return true;
}

bool acpi_poweroff(void)
{
	if (!pm1a_cnt)
		return false;
	outw(pm1a_cnt, (uint16_t)(slp_typ_s5 << 10 | SLP_EN));
	return true;
}
