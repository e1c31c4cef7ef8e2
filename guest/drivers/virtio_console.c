/* virtio_console.c: a polled driver for one named port of QEMU's virtio-serial, over either virtio-pci transport (virtio_pci.h). */
#include "ktime.h"
#include "virtio_pci.h"

#define VIRTIO_VENDOR           0x1af4
#define VIRTIO_CONSOLE_MODERN   0x1043  /* modern only: behind a PCIe port (q35), or disable-legacy=on */
#define VIRTIO_CONSOLE_LEGACY   0x1003  /* transitional: QEMU's default on a PCI (not PCIe) bus */
#define VIRTIO_CONSOLE_F_MULTIPORT (1u << 1)
#define VQ_SIZE_MAX             32768   /* a split queue's size: a power of two up to this */

/* Control messages (virtio 1.x, 5.3.6.2). */
#define VCON_DEVICE_READY       0
#define VCON_DEVICE_ADD         1
#define VCON_DEVICE_REMOVE      2
#define VCON_PORT_READY         3
#define VCON_PORT_OPEN          6
#define VCON_PORT_NAME          7
#define VCON_CTRL_RX            2       /* queues: 2 and 3 control, 2n+2 and 2n+3 port n >= 1 */
#define VCON_CTRL_TX            3
#define VCON_PORT_MAX           32766   /* its transmit queue 2n+3 is still a 16-bit index */

#define VRING_DESC_F_WRITE      2
#define VQ_BUF                  4096    /* each receive buffer */
#define VQ_RX_BUFS              16
#define VQ_TX_CHUNK             (64u << 10)
#define VCON_QUIET_NS           1000000000ull   /* names come at once: 1 s without one ends the search */

static const struct virtio_pci_ops *vp;       /* the transport vcon_probe() chose */
static struct vq ctrl_rx, ctrl_tx, port_rx, port_tx;
static uint32_t port_id;                /* 0: not found yet (port 0 is the console's) */
static bool port_found, host_open;
static const char *port_want;
/* The receive buffer being read: [rx_off, rx_len) of descriptor rx_desc. */
static uint32_t rx_desc, rx_off, rx_len;
static bool rx_busy;

static void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

/* Lay out a vring for queue index (legacy layout) and hand it to the device. */
static int vq_setup(struct vq *q, uint16_t index, bool rx)
{
	uint64_t avail_end, bytes;
	phys_addr_t pa;
	uint16_t n = vp->queue_size(index);

	if (n == 0 || (n & (n - 1)) || n > VQ_SIZE_MAX)
		return -ENODEV;
	avail_end = ALIGN_UP(16ull * n + 6 + 2ull * n, PAGE_SIZE);
	bytes = avail_end + ALIGN_UP(6 + 8ull * n, PAGE_SIZE);
	pa = page_alloc(bytes / PAGE_SIZE);
	if (!pa)
		return -ENOMEM;
	*q = (struct vq){ .index = index, .size = n };
	q->desc = phys_to_virt(pa);
	q->avail = (volatile uint16_t *)((uint8_t *)q->desc + 16ull * n);
	q->used = (volatile uint16_t *)((uint8_t *)q->desc + avail_end);
	if (rx) {
		phys_addr_t bpa;

		q->nbufs = MIN(n, (uint16_t)VQ_RX_BUFS);
		bpa = page_alloc((uint64_t)q->nbufs * VQ_BUF / PAGE_SIZE);
		if (!bpa)
			return -ENOMEM;
		q->bufs = phys_to_virt(bpa);
	}
	return vp->queue_enable(q, pa, pa + 16ull * n, pa + avail_end);
}

static void vq_notify(struct vq *q)
{
	barrier();
	vp->notify(q);
}

/* Put descriptor id on the available ring (the device may use it from now on). */
static void vq_push(struct vq *q, uint16_t id)
{
	uint16_t idx = q->avail[1];

	q->avail[2 + idx % q->size] = id;
	barrier();
	q->avail[1] = (uint16_t)(idx + 1);
}

/* Offer receive buffer i again. */
static void vq_rx_post(struct vq *q, uint16_t i)
{
	q->desc[i] = (struct vring_desc){
		.addr = virt_to_phys(q->bufs + (size_t)i * VQ_BUF), .len = VQ_BUF,
		.flags = VRING_DESC_F_WRITE,
	};
	vq_push(q, i);
}

/* The next used element, if the device returned one. */
static bool vq_pop(struct vq *q, struct vring_used_elem *e)
{
	const volatile struct vring_used_elem *ring;

	barrier();
	if (q->used[1] == q->last_used)
		return false;
	ring = (const volatile struct vring_used_elem *)(q->used + 2);
	e->id = ring[q->last_used % q->size].id;
	e->len = ring[q->last_used % q->size].len;
	q->last_used++;
	return e->id < q->size;
}

static unsigned vcon_poll_ctrl(void);

/* Send [pa, pa+len) on a transmit queue and wait until the device took it. */
static int vq_send(struct vq *q, phys_addr_t pa, uint32_t len)
{
	struct vring_used_elem e;
	uint16_t slot = q->avail[1] % q->size;

	q->desc[slot] = (struct vring_desc){ .addr = pa, .len = len };
	vq_push(q, slot);
	vq_notify(q);
	while (!vq_pop(q, &e)) {
		if (q != &ctrl_tx)
			vcon_poll_ctrl();
		__asm__ volatile("pause");
	}
	return 0;
}

static void vcon_ctrl_send(uint32_t id, uint16_t event, uint16_t value)
{
	static struct { uint32_t id; uint16_t event, value; } msg;

	msg.id = id;
	msg.event = event;
	msg.value = value;
	vq_send(&ctrl_tx, virt_to_phys(&msg), sizeof(msg));
}

static void vcon_ctrl_msg(const uint8_t *m, uint32_t len)
{
	uint32_t id;
	uint16_t event, value;

	if (len < 8)
		return;
	memcpy(&id, m, 4);
	memcpy(&event, m + 4, 2);
	memcpy(&value, m + 6, 2);
	switch (event) {
	case VCON_DEVICE_ADD:
		vcon_ctrl_send(id, VCON_PORT_READY, 1);
		break;
	case VCON_PORT_NAME:
		/* QEMU sends the name with its NUL; the length alone may not have one. */
		if (!port_found && id && id <= VCON_PORT_MAX && strnlen((const char *)m + 8, len - 8) == strlen(port_want) &&
		    !memcmp(m + 8, port_want, strlen(port_want))) {
			port_id = id;
			port_found = true;
		}
		break;
	case VCON_PORT_OPEN:
		if (port_found && id == port_id)
			host_open = value;
		break;
	case VCON_DEVICE_REMOVE:
		if (port_found && id == port_id)
			host_open = false;
		break;
	}
}

/* Handle every control message the device has sent; how many there were. */
static unsigned vcon_poll_ctrl(void)
{
	struct vring_used_elem e;
	unsigned n = 0;

	while (vq_pop(&ctrl_rx, &e)) {
		n++;
		if (e.id < ctrl_rx.nbufs) {
			vcon_ctrl_msg(ctrl_rx.bufs + (size_t)e.id * VQ_BUF, MIN(e.len, (uint32_t)VQ_BUF));
			vq_rx_post(&ctrl_rx, (uint16_t)e.id);
			vq_notify(&ctrl_rx);
		}
	}
	return n;
}

/* Attach to d through the first transport in list that it has (a broken one was said). */
static int vcon_attach(const struct pci_dev *d, const struct virtio_pci_ops *const *list)
{
	for (; *list; list++) {
		if (!(*list)->attach(d)) {
			vp = *list;
			if (!kernel_quiet)
				printk("virtio-serial: %02x:%02x.%u (1af4:%04x): %s virtio-pci\n",
				       d->bus, d->dev, d->fn, d->device, vp->name);
			return 0;
		}
	}
	return -ENODEV;
}

/* Modern when the device offers it: 1af4:1043 has nothing else, 1af4:1003 may have both. */
static int vcon_probe(void)
{
	static const struct virtio_pci_ops *const modern_only[] = { &virtio_pci_modern, NULL };
	static const struct virtio_pci_ops *const transitional[] = {
		&virtio_pci_modern, &virtio_pci_legacy, NULL,
	};
	struct pci_dev d;
	int err;

	if (!pci_find(VIRTIO_VENDOR, VIRTIO_CONSOLE_MODERN, &d))
		err = vcon_attach(&d, modern_only);
	else if (!pci_find(VIRTIO_VENDOR, VIRTIO_CONSOLE_LEGACY, &d))
		err = vcon_attach(&d, transitional);
	else
		return -ENODEV;
	if (err)
		return err;
	return vp->start(VIRTIO_CONSOLE_F_MULTIPORT);  /* -ENODEV: only port 0, no named ports */
}

/*
 * Wait until the device has named our port.  QEMU announces every port
 * and its name as soon as we say we are ready (under TCG before the notify
 * returns, under KVM's ioeventfd a little later): a second without a
 * control message means there is no such port.
 */
static int vcon_find_port(void)
{
	uint64_t last = ktime_mono_ns();

	while (!port_found) {
		if (vcon_poll_ctrl())
			last = ktime_mono_ns();
		else if (ktime_mono_ns() - last > VCON_QUIET_NS)
			return -ENODEV;
		__asm__ volatile("pause");
	}
	return 0;
}

int vcon_open(const char *name)
{
	int err;

	port_want = name;
	if ((err = vcon_probe()))
		return err;
	if ((err = vq_setup(&ctrl_rx, VCON_CTRL_RX, true)) ||
	    (err = vq_setup(&ctrl_tx, VCON_CTRL_TX, false)))
		goto fail;
	for (uint16_t i = 0; i < ctrl_rx.nbufs; i++)
		vq_rx_post(&ctrl_rx, i);
	vp->add_status(VIRTIO_STATUS_DRIVER_OK);
	vq_notify(&ctrl_rx);
	vcon_ctrl_send(0, VCON_DEVICE_READY, 1);
	if ((err = vcon_find_port()))
		return err;
	/* Port n's queues are 2n+2 and 2n+3; the device says which exist. */
	if ((err = vq_setup(&port_rx, (uint16_t)(2 * port_id + 2), true)) ||
	    (err = vq_setup(&port_tx, (uint16_t)(2 * port_id + 3), false)))
		goto fail;
	for (uint16_t i = 0; i < port_rx.nbufs; i++)
		vq_rx_post(&port_rx, i);
	vq_notify(&port_rx);
	vcon_ctrl_send(port_id, VCON_PORT_OPEN, 1);
	vcon_poll_ctrl();
	return 0;
fail:
	vp->add_status(VIRTIO_STATUS_FAILED);
	return err;
}

bool vcon_connected(void)
{
	vcon_poll_ctrl();
	return port_found && host_open;
}

bool vcon_wait_connected(uint64_t timeout_ns)
{
	uint64_t t0 = ktime_mono_ns();

	while (!vcon_connected()) {
		if (!port_found || ktime_mono_ns() - t0 > timeout_ns)
			return false;
		__asm__ volatile("pause");
	}
	return true;
}

int vcon_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		uint32_t n = (uint32_t)MIN(len, (size_t)VQ_TX_CHUNK);

		if (!vcon_connected())
			return -EPIPE;
		vq_send(&port_tx, virt_to_phys(p), n);
		p += n;
		len -= n;
	}
	return 0;
}

int vcon_read(void *buf, size_t len, uint64_t timeout_ns)
{
	uint64_t t0 = ktime_mono_ns();
	uint8_t *p = buf;

	while (len) {
		struct vring_used_elem e;
		uint32_t n;

		if (!rx_busy) {
			if (!vq_pop(&port_rx, &e)) {
				/*
				 * The host may send its last bytes and close at once (a
				 * daemon's fatal ERROR, then its hang-up): look at the
				 * queue again after the close was seen, so that what
				 * arrived before it is read, not lost to EPIPE.
				 */
				bool open = vcon_connected();

				if (!vq_pop(&port_rx, &e)) {
					if (!open)
						return -EPIPE;
					if (ktime_mono_ns() - t0 > timeout_ns)
						return -ETIMEDOUT;
					__asm__ volatile("pause");
					continue;
				}
			}
			if (e.id >= port_rx.nbufs)
				continue;
			rx_desc = e.id;
			rx_off = 0;
			rx_len = MIN(e.len, (uint32_t)VQ_BUF);
			rx_busy = true;
		}
		n = (uint32_t)MIN((size_t)(rx_len - rx_off), len);
		memcpy(p, port_rx.bufs + (size_t)rx_desc * VQ_BUF + rx_off, n);
		p += n;
		len -= n;
		rx_off += n;
		if (rx_off == rx_len) {
			rx_busy = false;
			vq_rx_post(&port_rx, (uint16_t)rx_desc);
			vq_notify(&port_rx);
		}
	}
	return 0;
}
