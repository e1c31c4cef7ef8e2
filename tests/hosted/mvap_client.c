/* mvap_client.c: a test client of `modvisor authority`: well-formed loads (timed) and every kind of hostile frame. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <modvisor/abi/hypercall.h>
#include "authority/mvap_io.h"

#define USAGE "usage: mvap-client SOCKET CASE [ARGS]\n" \
	"  garbage | version | unknown-type | oversized | load-before-hello\n" \
	"  truncated-load NAME FILE | bad-field NAME | hello NAME [SECONDS]\n" \
	"  load NAME FILE COUNT [events]   (prints one 'verdict ...' line per load and\n" \
	"                                   'latency_us N' lines)\n" \
	"  seals NAME FILE   (a sealing VMM's records in and out of order: 'STEP: reply')\n" \
	"  seal-frame NAME [bad]   (a SEAL after HELLO; bad: a reserved field set)\n" \
	"  serve refuse-seal   (a stand-in daemon on SOCKET for one VMM: it allows\n" \
	"                      every load, acknowledges every event, refuses every SEAL)\n" \
	"MVAP_CLIENT_TRANSPORT=qemu: HELLO as a guest under QEMU; MVAP_CLIENT_VERMAGIC:\n" \
	"the vermagic it claims.  The UUID is\n" \
	"0x10+i+strlen(NAME) for byte i.  Extra words after a case are ignored (they\n" \
	"stand in for QEMU's -name/-uuid in /proc/PID/cmdline).\n"

static int sock_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("connect failed: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

static int send_all(int fd, const void *p, size_t n)
{
	return mvap_io_send(fd, &(struct iovec){ (void *)p, n }, 1);
}

/* Read one reply and print it: "error E fatal=F: MSG", "welcome", "verdict ...", "ack S", "eof". */
static int reply(int fd, struct mvap_verdict *vout)
{
	struct mvap_hdr h;
	const char *why = NULL;
	uint8_t *p;
	int ret = mvap_io_recv_frame(fd, &h, &p, 10000, 10000, &why);

	if (ret < 0) {
		printf("%s\n", ret == -ENODATA ? "eof" : why);
		return -1;
	}
	if (h.type == MVAP_T_ERROR) {
		struct mvap_error e;
		if (mvap_error_decode(p, h.len, &e, &why) == 0)
			printf("error %d fatal=%u: %s\n", e.err, e.fatal, e.msg);
		ret = -1;
	} else if (h.type == MVAP_T_WELCOME) {
		printf("welcome\n");
	} else if (h.type == MVAP_T_VERDICT) {
		struct mvap_verdict v;
		if (mvap_verdict_decode(p, h.len, &v, &why) < 0)
			return printf("bad verdict: %s\n", why), -1;
		printf("verdict %s errno=%d load_id=%u seal=%u reason=%s\n",
		       v.verdict == MV_VERDICT_ALLOW ? "allow" : "deny", v.err, v.load_id, v.seal,
		       v.reason);
		if (vout)
			*vout = v;
	} else if (h.type == MVAP_T_ACK) {
		struct mvap_ack a;
		if (mvap_ack_decode(p, h.len, &a, &why) == 0)
			printf("ack %d %s\n", a.status, a.why);
	} else {
		printf("reply %s\n", mvap_type_name(h.type));
	}
	free(p);
	return ret;
}

static void hello(int fd, const char *name)
{
	const char *t = getenv("MVAP_CLIENT_TRANSPORT");
	struct mvap_hello m = { .transport = t && strcmp(t, "qemu") == 0 ? MVAP_TRANSPORT_QEMU :
					     MVAP_TRANSPORT_MODVISOR,
				.flags = getenv("MVAP_CLIENT_PROTECT") ? MVAP_HELLO_PROTECT : 0 };
	uint8_t frame[512];
	int n;

	for (int i = 0; i < 16; i++)
		m.uuid[i] = (uint8_t)(0x10 + i + strlen(name));
	snprintf(m.name, sizeof(m.name), "%s", name);
	if (getenv("MVAP_CLIENT_VERMAGIC"))
		snprintf(m.vermagic, sizeof(m.vermagic), "%s", getenv("MVAP_CLIENT_VERMAGIC"));
	n = mvap_hello_encode(&m, 1, frame, sizeof(frame));
	if (n < 0)
		exit(2);
	/* A refused peer may be answered and hung up on before it sends: read anyway. */
	send_all(fd, frame, (size_t)n);
	if (reply(fd, NULL) < 0)
		exit(1);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	uint8_t *p;

	if (fd < 0 || fstat(fd, &st) < 0 || !(p = malloc((size_t)st.st_size + 1)) ||
	    read(fd, p, (size_t)st.st_size) != st.st_size) {
		printf("%s: cannot read\n", path);
		exit(2);
	}
	close(fd);
	*len = (size_t)st.st_size;
	return p;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* COUNT init_module loads of FILE; with "events", each allowed one is reported load-failed. */
static int loads(int fd, const char *file, int count, int events)
{
	size_t len;
	uint8_t *img = read_file(file, &len), head[512], ev[256];
	struct mvap_load m = { .source = MV_MODSRC_INIT_MODULE, .params_flags = MVAP_PARAMS_NONE,
			       .image_size = len, .image_len = len };
	struct mvap_verdict v;

	for (int i = 0; i < count; i++) {
		double t0 = now_us();
		int n = mvap_load_encode(&m, (uint32_t)(i + 2), head, sizeof(head));
		struct iovec iov[2] = { { head, (size_t)n }, { img, len } };

		if (n < 0 || mvap_io_send(fd, iov, 2) < 0 || reply(fd, &v) < 0)
			return 1;
		printf("latency_us %.0f\n", now_us() - t0);
		if (events && v.verdict == MV_VERDICT_ALLOW) {
			struct mvap_event e = { .load_id = v.load_id, .event = MV_MODEV_LOAD_FAILED,
						.err = ENOEXEC };
			snprintf(e.name, sizeof(e.name), "hello");
			n = mvap_event_encode(&e, 1000u + (uint32_t)i, ev, sizeof(ev));
			if (send_all(fd, ev, (size_t)n) < 0 || reply(fd, NULL) < 0)
				return 1;
		}
	}
	free(img);
	return 0;
}

/* A SEAL/UNSEAL record for load_id; with digest, its text digest is bytes 0x11.. and 0x22... */
static struct mvap_seal seal_rec(uint32_t type, uint32_t load_id, uint16_t part, int err)
{
	struct mvap_seal m = { .type = type, .load_id = load_id, .part = part, .err = err };

	if (!err) {
		m.gpa = 0x1000000;
		m.len = 0x2000;
	}
	if (type == MVAP_T_SEAL && part == MVAP_SEAL_PART_TEXT && !err) {
		m.flags = MVAP_SEALF_DIGEST;
		m.text_size = 0x2000;
		memset(m.text_xxh3, 0x11, sizeof(m.text_xxh3));
		memset(m.text_sha256, 0x22, sizeof(m.text_sha256));
	}
	snprintf(m.why, sizeof(m.why), "%s", err ? "bytes differ" : "sealed by mvap-client");
	return m;
}

/* STEP: send one record or event, print its reply after the step's name. */
static int step(int fd, const char *what, const uint8_t *f, int n)
{
	printf("%s: ", what);
	if (n < 0)
		return printf("cannot encode\n"), -1;
	if (send_all(fd, f, (size_t)n) < 0)
		return printf("send failed\n"), -1;
	return reply(fd, NULL);
}

static int seal_step(int fd, const char *what, struct mvap_seal m)
{
	static uint32_t seq = 100;
	uint8_t f[512];

	return step(fd, what, f, mvap_seal_encode(&m, seq++, f, sizeof(f)));
}

static int event_step(int fd, const char *what, uint32_t load_id, uint32_t ev)
{
	static uint32_t seq = 200;
	struct mvap_event e = { .load_id = load_id, .event = ev, .base = 0xffffffffc0000000ull };
	uint8_t f[256];

	snprintf(e.name, sizeof(e.name), "hello");
	return step(fd, what, f, mvap_event_encode(&e, seq++, f, sizeof(f)));
}

/* A sealing VMM's records, in order and out of it; every reply is printed. */
static int seals(int fd, const char *file)
{
	size_t len;
	uint8_t *img = read_file(file, &len), head[512];
	struct mvap_load m = { .source = MV_MODSRC_INIT_MODULE, .params_flags = MVAP_PARAMS_NONE,
			       .image_size = len, .image_len = len };
	int n = mvap_load_encode(&m, 2, head, sizeof(head));
	struct iovec iov[2] = { { head, (size_t)n }, { img, len } };

	if (n < 0 || mvap_io_send(fd, iov, 2) < 0 || reply(fd, NULL) < 0)
		return 1;
	event_step(fd, "init-before-seal", 1, MV_MODEV_INIT_START);
	seal_step(fd, "unseal-unsealed", seal_rec(MVAP_T_UNSEAL, 1, MVAP_SEAL_PART_ALL, 0));
	seal_step(fd, "rai-before-seal", seal_rec(MVAP_T_SEAL, 1, MVAP_SEAL_PART_RAI, 0));
	seal_step(fd, "seal-never-issued", seal_rec(MVAP_T_SEAL, 9, MVAP_SEAL_PART_TEXT, 0));
	seal_step(fd, "seal", seal_rec(MVAP_T_SEAL, 1, MVAP_SEAL_PART_TEXT, 0));
	seal_step(fd, "seal-twice", seal_rec(MVAP_T_SEAL, 1, MVAP_SEAL_PART_TEXT, 0));
	event_step(fd, "init-start", 1, MV_MODEV_INIT_START);
	event_step(fd, "loaded", 1, MV_MODEV_LOADED);
	seal_step(fd, "rai", seal_rec(MVAP_T_SEAL, 1, MVAP_SEAL_PART_RAI, 0));
	seal_step(fd, "unseal-live", seal_rec(MVAP_T_UNSEAL, 1, MVAP_SEAL_PART_ALL, 0));
	event_step(fd, "unloaded", 1, MV_MODEV_UNLOADED);
	seal_step(fd, "unseal", seal_rec(MVAP_T_UNSEAL, 1, MVAP_SEAL_PART_ALL, 0));
	seal_step(fd, "unseal-twice", seal_rec(MVAP_T_UNSEAL, 1, MVAP_SEAL_PART_ALL, 0));
	/* A second load the VMM refused to seal: logged as refused; it may then fail. */
	n = mvap_load_encode(&m, 3, head, sizeof(head));
	if (n < 0 || mvap_io_send(fd, iov, 2) < 0 || reply(fd, NULL) < 0)
		return 1;
	seal_step(fd, "seal-refused", seal_rec(MVAP_T_SEAL, 2, MVAP_SEAL_PART_TEXT, 13));
	event_step(fd, "load-failed", 2, MV_MODEV_LOAD_FAILED);
	free(img);
	return 0;
}

/* Hostile frames: each must be answered by a fatal ERROR and the connection closed. */
static int hostile(int fd, const char *c, int argc, char **argv)
{
	uint8_t f[4096] = { 0 };

	if (strcmp(c, "garbage") == 0) {
		for (int i = 0; i < 64; i++)
			f[i] = (uint8_t)(i * 37 + 11);
		send_all(fd, f, 64);
	} else if (strcmp(c, "version") == 0 || strcmp(c, "unknown-type") == 0 ||
		   strcmp(c, "oversized") == 0) {
		mvap_hdr_encode(f, MVAP_T_HELLO, 64, 1);
		if (c[0] == 'v')
			f[4] = 2;
		else if (c[0] == 'u')
			f[6] = 99;
		else
			mvap_hdr_encode(f, MVAP_T_HELLO, MVAP_SMALL_MAX + 1, 1);
		send_all(fd, f, MVAP_HDR_LEN);
	} else if (strcmp(c, "load-before-hello") == 0) {
		struct mvap_load m = { .source = 1, .params_flags = MVAP_PARAMS_NONE };
		send_all(fd, f, (size_t)mvap_load_encode(&m, 1, f, sizeof(f)));
	} else if (strcmp(c, "bad-field") == 0 && argc >= 1) {
		hello(fd, argv[0]);
		struct mvap_load m = { .source = 1, .params_flags = MVAP_PARAMS_NONE };
		int n = mvap_load_encode(&m, 2, f, sizeof(f));
		f[MVAP_HDR_LEN] = 3;            /* source 3 */
		send_all(fd, f, (size_t)n);
	} else if (strcmp(c, "seal-frame") == 0 && argc >= 1) {
		struct mvap_seal m = seal_rec(MVAP_T_SEAL, 1, MVAP_SEAL_PART_TEXT, 0);
		int n;

		hello(fd, argv[0]);
		n = mvap_seal_encode(&m, 2, f, sizeof(f));
		if (argc >= 2 && strcmp(argv[1], "bad") == 0)
			f[MVAP_HDR_LEN + 88] = 1;       /* reserved */
		send_all(fd, f, (size_t)n);
	} else if (strcmp(c, "truncated-load") == 0 && argc >= 2) {
		size_t len;
		uint8_t *img = read_file(argv[1], &len);
		struct mvap_load m = { .source = 1, .params_flags = MVAP_PARAMS_NONE,
				       .image_size = len, .image_len = len };
		hello(fd, argv[0]);
		int n = mvap_load_encode(&m, 2, f, sizeof(f));
		send_all(fd, f, (size_t)n);
		send_all(fd, img, len / 2);
		printf("sent half a LOAD\n");
		return 0;                       /* hang up mid-frame */
	} else {
		fputs(USAGE, stderr);
		return 2;
	}
	reply(fd, NULL);
	reply(fd, NULL);                        /* then the daemon hangs up: "eof" */
	return 0;
}

/*
 * A stand-in daemon for one connection: WELCOME with protect = on, allow
 * every LOAD, ACK every EVENT/UNSEAL/VIOLATION, refuse every SEAL with ACK
 * -EINVAL (as a daemon whose state disagreed with the VMM's would).  Each
 * request's type goes to stdout.
 */
static int serve(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0), fd;
	uint32_t load_id = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0)
		return printf("serve: %s: %s\n", path, strerror(errno)), 1;
	printf("listening\n");
	fd = accept(lfd, NULL, NULL);
	close(lfd);
	for (;;) {
		struct mvap_hdr h;
		const char *why = NULL;
		uint8_t *p, out[512];
		int n = -1;

		if (mvap_io_recv_frame(fd, &h, &p, -1, 10000, &why) < 0)
			return printf("end\n"), 0;
		printf("got %s\n", mvap_type_name(h.type));
		if (h.type == MVAP_T_HELLO) {
			struct mvap_welcome w = { .policy = MVAP_POLICY_PROTECT, .vm_id = 1,
						  .image_max = MVAP_IMAGE_MAX };
			n = mvap_welcome_encode(&w, h.seq, out, sizeof(out));
		} else if (h.type == MVAP_T_LOAD) {
			struct mvap_verdict v = { .verdict = MV_VERDICT_ALLOW, .load_id = ++load_id };
			n = mvap_verdict_encode(&v, h.seq, out, sizeof(out));
		} else if (h.type == MVAP_T_SEAL) {
			struct mvap_ack a = { .status = -EINVAL };
			snprintf(a.why, sizeof(a.why), "the stand-in daemon refuses every seal");
			n = mvap_ack_encode(&a, h.seq, out, sizeof(out));
		} else if (h.type != MVAP_T_BYE) {
			struct mvap_ack a = { .status = 0 };
			n = mvap_ack_encode(&a, h.seq, out, sizeof(out));
		}
		free(p);
		if (n > 0)
			send_all(fd, out, (size_t)n);
	}
}

int main(int argc, char **argv)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3)
		return fputs(USAGE, stderr), 2;
	if (strcmp(argv[2], "serve") == 0)
		return serve(argv[1]);
	fd = sock_connect(argv[1]);
	if (strcmp(argv[2], "hello") == 0 && argc >= 4) {
		hello(fd, argv[3]);
		sleep(argc >= 5 && argv[4][0] != '-' ? (unsigned)atoi(argv[4]) : 0);
		return 0;
	}
	if (strcmp(argv[2], "seals") == 0 && argc >= 5) {
		hello(fd, argv[3]);
		return seals(fd, argv[4]);
	}
	if (strcmp(argv[2], "load") == 0 && argc >= 6) {
		hello(fd, argv[3]);
		return loads(fd, argv[4], atoi(argv[5]), argc >= 7 && strcmp(argv[6], "events") == 0);
	}
	return hostile(fd, argv[2], argc - 3, argv + 3);
}
