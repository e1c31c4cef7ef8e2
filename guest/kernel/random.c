/* random.c: a ChaCha20-based generator seeded from the host (bootinfo.seed) and RDRAND. */
#include "boot.h"
#include "random.h"

static uint32_t rng_key[8];
static uint64_t rng_counter;

static inline uint32_t rotl32(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

#define QR(a, b, c, d) do {                                  \
	a += b; d ^= a; d = rotl32(d, 16);                    \
	c += d; b ^= c; b = rotl32(b, 12);                    \
	a += b; d ^= a; d = rotl32(d, 8);                     \
	c += d; b ^= c; b = rotl32(b, 7);                     \
} while (0)

/* One 64-byte ChaCha20 block (RFC 8439) for key, counter, nonce 0. */
static void chacha20_block(const uint32_t key[8], uint64_t counter, uint32_t out[16])
{
	uint32_t s[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
		(uint32_t)counter, (uint32_t)(counter >> 32), 0, 0,
	};
	uint32_t x[16];

	memcpy(x, s, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + s[i];
}

static bool cpu_has_rdrand(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return c & (1u << 30);
}

void random_init(void)
{
	memcpy(rng_key, boot_info.seed, sizeof(rng_key));
	if (cpu_has_rdrand()) {
		for (int i = 0; i < 8; i++) {
			uint32_t v = 0;
			uint8_t ok = 0;

			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok)
				rng_key[i] ^= v;
		}
	}
}

void get_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint32_t block[16];

	while (n) {
		size_t k = MIN(n, sizeof(block));

		chacha20_block(rng_key, rng_counter++, block);
		memcpy(p, block, k);
		p += k;
		n -= k;
	}
	/* Fast key erasure: the next key is keystream nobody has seen. */
	chacha20_block(rng_key, rng_counter++, block);
	memcpy(rng_key, block, sizeof(rng_key));
	memset(block, 0, sizeof(block));
}
