/* pci.c: PCI configuration space through the PC's mechanism #1 (ports 0xcf8/0xcfc), and a function's BARs. */
#include "pio.h"
#include "virtio.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc

static uint32_t pci_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 |
	       (off & 0xfc);
}

static uint32_t pci_cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
	outl(PCI_ADDR, pci_addr(bus, dev, fn, off));
	return inl(PCI_DATA);
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
	return pci_cfg_read(d->bus, d->dev, d->fn, off);
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	outl(PCI_ADDR, pci_addr(d->bus, d->dev, d->fn, off));
	outw(PCI_DATA + (off & 2), v);
}

void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	outl(PCI_ADDR, pci_addr(d->bus, d->dev, d->fn, off));
	outl(PCI_DATA, v);
}

void pci_read_config(const struct pci_dev *d, uint8_t cfg[PCI_CFG_SIZE])
{
	for (unsigned off = 0; off < PCI_CFG_SIZE; off += 4) {
		uint32_t v = pci_read32(d, (uint8_t)off);

		memcpy(cfg + off, &v, 4);
	}
}

/* The value the BAR register at off reads after all ones were written (decoding is off). */
static uint32_t pci_bar_size_bits(const struct pci_dev *d, uint8_t off)
{
	uint32_t old = pci_read32(d, off), v;

	pci_write32(d, off, 0xffffffffu);
	v = pci_read32(d, off);
	pci_write32(d, off, old);
	return v;
}

int pci_read_bar(const struct pci_dev *d, unsigned i, struct pci_bar *out)
{
	uint8_t off = (uint8_t)(0x10 + 4 * i);
	uint32_t lo, hi = 0, size_lo, size_hi = 0;
	uint16_t cmd;
	bool wide;

	*out = (struct pci_bar){ 0 };
	if (i >= PCI_NUM_BARS)
		return -EINVAL;
	lo = pci_read32(d, off);
	wide = !(lo & 1) && (lo >> 1 & 3) == 2;
	if (wide && i + 1 >= PCI_NUM_BARS)
		return -EINVAL;
	/* Sizing moves the BAR for a moment: decoding stays off meanwhile. */
	cmd = (uint16_t)pci_read32(d, PCI_COMMAND);
	pci_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	size_lo = pci_bar_size_bits(d, off);
	if (wide) {
		hi = pci_read32(d, (uint8_t)(off + 4));
		size_hi = pci_bar_size_bits(d, (uint8_t)(off + 4));
	}
	pci_write16(d, PCI_COMMAND, cmd);
	return pci_bar_decode(lo, hi, size_lo, size_hi, out);
}

int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out)
{
	for (unsigned bus = 0; bus < 256; bus++) {
		for (uint8_t dev = 0; dev < 32; dev++) {
			uint8_t nfn = 1;

			for (uint8_t fn = 0; fn < nfn; fn++) {
				uint32_t id = pci_cfg_read(bus, dev, fn, 0x00);

				if ((id & 0xffff) == 0xffff)
					continue;
				if (fn == 0 && (pci_cfg_read(bus, dev, 0, 0x0c) >> 16 & 0x80))
					nfn = 8;        /* a multi-function device */
				if ((id & 0xffff) == vendor && id >> 16 == device) {
					*out = (struct pci_dev){ (uint8_t)bus, dev, fn, vendor, device };
					return 0;
				}
			}
		}
	}
	return -ENODEV;
}
