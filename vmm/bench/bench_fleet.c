/* bench_fleet.c: the fleet section: loads through one authority daemon vs an authority per VM, for 1-8 VMs (issue 18). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <modvisor/abi/hypercall.h>
#include "authority/authority.h"
#include "authority/mvap_io.h"
#include "bench_suite.h"
#include "fleet/daemon.h"

/*
 * Each "VM" is a thread that does what a VMM does for its guest's loads,
 * without the guest: the daemon's clients send HELLO, then per load a LOAD
 * with the image and an EVENT (load-failed, so the state goes back to
 * nothing live) and wait for each reply, as `run --authority` does; the
 * in-process ones call authority_load() and authority_event() on an
 * authority of their own, with a log of their own, as `run` does.  Both
 * fsync per entry.  Rows (section "fleet", param "N vms"):
 * {daemon,inproc}_loads_per_s, {daemon,inproc}_latency_us (the load's
 * round trip: median, quartiles, min, max), {daemon,inproc}_latency_p99_us,
 * and daemon_fsyncs_per_entry (group commit: 1.0 without it).
 */

#define BF_MAXVM 8

struct bf_vm {
	int idx, loads;
	const char *sock;
	struct authority *auth;         /* in-process mode */
	const uint8_t *img;
	size_t len;
	double *lat;                    /* loads latencies, us */
	int err;
};

static int bf_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* bf_call(fd, iov, n, want): send, read the reply; 0 when it is of type want. */
static int bf_call(int fd, const struct iovec *iov, int n, uint32_t want, struct mvap_verdict *v)
{
	struct mvap_hdr h;
	const char *why;
	uint8_t *p;
	int ret = mvap_io_send(fd, iov, n);

	if (ret == 0)
		ret = mvap_io_recv_frame(fd, &h, &p, 30000, 30000, &why);
	if (ret < 0)
		return ret;
	ret = h.type == want ? 0 : -EPROTO;
	if (ret == 0 && v && mvap_verdict_decode(p, h.len, v, &why) < 0)
		ret = -EPROTO;
	free(p);
	return ret;
}

static void *bf_daemon_vm(void *arg)
{
	struct bf_vm *vm = arg;
	struct mvap_hello hm = { .transport = MVAP_TRANSPORT_MODVISOR };
	struct mvap_load lm = { .source = MV_MODSRC_INIT_MODULE, .params_flags = MVAP_PARAMS_NONE,
				.image_size = vm->len, .image_len = vm->len };
	uint8_t frame[512];
	int fd = bf_connect(vm->sock), n;

	if (fd < 0)
		return vm->err = -errno, NULL;
	memset(hm.uuid, vm->idx + 1, sizeof(hm.uuid));
	snprintf(hm.name, sizeof(hm.name), "bench%d", vm->idx);
	n = mvap_hello_encode(&hm, 1, frame, sizeof(frame));
	vm->err = bf_call(fd, &(struct iovec){ frame, (size_t)n }, 1, MVAP_T_WELCOME, NULL);
	for (int i = 0; i < vm->loads && !vm->err; i++) {
		struct mvap_verdict v;
		uint64_t t0 = bench_now_ns();

		n = mvap_load_encode(&lm, (uint32_t)(2 * i + 2), frame, sizeof(frame));
		struct iovec iov[2] = { { frame, (size_t)n }, { (void *)vm->img, vm->len } };
		vm->err = bf_call(fd, iov, 2, MVAP_T_VERDICT, &v);
		vm->lat[i] = (double)(bench_now_ns() - t0) / 1e3;
		if (vm->err)
			break;
		struct mvap_event e = { .load_id = v.load_id, .event = MV_MODEV_LOAD_FAILED,
					.err = ENOEXEC };
		n = mvap_event_encode(&e, (uint32_t)(2 * i + 3), frame, sizeof(frame));
		vm->err = bf_call(fd, &(struct iovec){ frame, (size_t)n }, 1, MVAP_T_ACK, NULL);
	}
	close(fd);
	return NULL;
}

static void *bf_inproc_vm(void *arg)
{
	struct bf_vm *vm = arg;
	char err[512];

	for (int i = 0; i < vm->loads && !vm->err; i++) {
		struct authority_request req = { .image = vm->img, .len = vm->len,
						 .source = MV_MODSRC_INIT_MODULE };
		struct authority_verdict v;
		uint64_t t0 = bench_now_ns();
		uint8_t *copy = malloc(vm->len);       /* the VMM's one copy out of guest RAM */

		if (!copy)
			return vm->err = -ENOMEM, NULL;
		memcpy(copy, vm->img, vm->len);
		req.image = copy;
		vm->err = authority_load(vm->auth, &req, &v, err, sizeof(err));
		free(copy);
		vm->lat[i] = (double)(bench_now_ns() - t0) / 1e3;
		struct mlog_event e = { .load_id = v.load_id, .event = MV_MODEV_LOAD_FAILED,
					.err = ENOEXEC, .name = "hello" };
		if (!vm->err && v.allow &&
		    authority_event_step(vm->auth, v.load_id, e.event, err, sizeof(err)) == 0)
			vm->err = authority_event(vm->auth, &e, err, sizeof(err));
	}
	measure_thread_done();
	return NULL;
}

/* bf_run(vms, n, fn): start n VM threads, wait; the wall time in seconds, or -1. */
static double bf_run(struct bf_vm *vms, int n, void *(*fn)(void *))
{
	pthread_t th[BF_MAXVM];
	uint64_t t0 = bench_now_ns();

	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, fn, &vms[i]) != 0)
			return -1;
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < n; i++)
		if (vms[i].err)
			return fprintf(stderr, "modvisor bench: fleet: vm %d: %s\n", i,
				       strerror(-vms[i].err)), -1;
	return (double)(bench_now_ns() - t0) / 1e9;
}

/* bf_rows(r, mode, n, vms, secs): throughput, latency quartiles and p99 of one mode. */
static void bf_rows(struct bench_report *r, const char *mode, int n, struct bf_vm *vms,
		    double secs)
{
	char param[32], metric[48];
	int per = vms[0].loads, all = n * per;
	double *v = malloc(sizeof(double) * (size_t)all);

	if (!v)
		return;
	for (int i = 0; i < n; i++)
		memcpy(v + i * per, vms[i].lat, sizeof(double) * (size_t)per);
	snprintf(param, sizeof(param), "%d vms", n);
	snprintf(metric, sizeof(metric), "%s_loads_per_s", mode);
	bench_add1(r, "fleet", metric, param, "loads/s", all / secs);
	snprintf(metric, sizeof(metric), "%s_latency_us", mode);
	bench_add(r, "fleet", metric, param, "us", v, all);        /* sorts v */
	snprintf(metric, sizeof(metric), "%s_latency_p99_us", mode);
	bench_add1(r, "fleet", metric, param, "us", v[(all * 99) / 100 < all ? (all * 99) / 100 :
							 all - 1]);
	free(v);
}

struct bf_serve {
	struct fleet f;
	int stop[2];
	pthread_t th;
};

static void *bf_serve_thread(void *arg)
{
	struct bf_serve *s = arg;

	fleet_serve(&s->f, s->stop[0]);
	return NULL;
}

/* bf_daemon(o, r, n, vms): one daemon for n VMs; its rows and fsyncs per entry. */
static int bf_daemon(const struct bench_opts *o, struct bench_report *r, int n, struct bf_vm *vms)
{
	struct bf_serve *s = calloc(1, sizeof(*s));
	char sock[108], err[4096 + 512], param[32];
	uint64_t entries0, fsyncs0, entries, fsyncs;
	struct policy p;
	double secs;

	policy_init(&p);
	snprintf(p.log, sizeof(p.log), "%s/logs/fleet-daemon-%d.log", o->out, n);
	snprintf(p.kernel, sizeof(p.kernel), "%s", o->kernel);
	unlink(p.log);
	/*
	 * A tmpfs both on a host and inside the emulated KVM host, where /tmp is
	 * the real host's over 9p (a Unix socket there cannot be connected to).
	 */
	snprintf(sock, sizeof(sock), "%s/mv-bench-fleet-%d.sock",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
	if (!s || pipe(s->stop) < 0 || fleet_open(&s->f, &p, sock, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor bench: fleet: %s\n", s ? err : "out of memory");
		free(s);
		return -1;
	}
	mlog_stats(s->f.auth->log, &entries0, &fsyncs0);
	pthread_create(&s->th, NULL, bf_serve_thread, s);
	for (int i = 0; i < n; i++)
		vms[i].sock = sock;
	secs = bf_run(vms, n, bf_daemon_vm);
	mlog_stats(s->f.auth->log, &entries, &fsyncs);
	if (write(s->stop[1], "x", 1) != 1)
		secs = -1;
	pthread_join(s->th, NULL);
	close(s->stop[0]);
	close(s->stop[1]);
	free(s);
	if (secs < 0)
		return -1;
	bf_rows(r, "daemon", n, vms, secs);
	snprintf(param, sizeof(param), "%d vms", n);
	bench_add1(r, "fleet", "daemon_fsyncs_per_entry", param, "ratio",
		   (double)(fsyncs - fsyncs0) / (double)(entries - entries0));
	return 0;
}

/* bf_inproc(o, r, n, vms): n authorities of their own, each with its log. */
static int bf_inproc(const struct bench_opts *o, struct bench_report *r, int n, struct bf_vm *vms)
{
	char name[64];
	double secs;
	int rc = 0;

	for (int i = 0; i < n && !rc; i++) {
		snprintf(name, sizeof(name), "logs/fleet-inproc-%d-%d.log", n, i);
		char path[4096 + 64];
		snprintf(path, sizeof(path), "%s/%s", o->out, name);
		unlink(path);
		rc = bench_auth_open(o, name, &vms[i].auth);
	}
	secs = rc ? -1 : bf_run(vms, n, bf_inproc_vm);
	for (int i = 0; i < n; i++) {
		bench_auth_close(vms[i].auth);
		vms[i].auth = NULL;
	}
	if (secs < 0)
		return -1;
	bf_rows(r, "inproc", n, vms, secs);
	return 0;
}

int bench_section_fleet(const struct bench_opts *o, struct bench_report *r)
{
	static const int counts[] = { 1, 2, 4, 8 };
	int loads = o->quick ? 10 : 200, rc = 0;
	struct bf_vm vms[BF_MAXVM];
	char path[4096 + 64];
	uint8_t *img;
	size_t len;

	snprintf(path, sizeof(path), "%s/modules/hello.ko", o->images);
	if (read_whole_file(path, &img, &len)) {
		fprintf(stderr, "modvisor bench: fleet: %s: cannot read it\n", path);
		return -1;
	}
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]) && !rc; c++) {
		int n = counts[c];

		bench_progress("fleet: %d VMs x %d loads, one daemon and one authority each", n,
			       loads);
		memset(vms, 0, sizeof(vms));
		for (int i = 0; i < n; i++) {
			vms[i] = (struct bf_vm){ .idx = i, .loads = loads, .img = img, .len = len,
						 .lat = calloc((size_t)loads, sizeof(double)) };
			if (!vms[i].lat)
				rc = -1;
		}
		if (!rc)
			rc = bf_daemon(o, r, n, vms);
		for (int i = 0; i < n && !rc; i++)
			vms[i].err = 0;
		if (!rc)
			rc = bf_inproc(o, r, n, vms);
		for (int i = 0; i < n; i++)
			free(vms[i].lat);
	}
	free(img);
	return rc;
}
