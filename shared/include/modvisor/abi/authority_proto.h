/* authority_proto.h: the authority protocol (MVAP): a VM's link to `modvisor authority` (docs/authority-protocol.md). */
#ifndef MODVISOR_ABI_AUTHORITY_PROTO_H
#define MODVISOR_ABI_AUTHORITY_PROTO_H

/*
 * A byte stream (a Unix stream socket, or a virtio-serial port that QEMU
 * connects to that socket) carries frames: a 16-byte header, then `len`
 * payload bytes.  Every integer is little-endian and encoded byte by byte
 * (shared/lib/mvap.c), never by copying a struct, so the layout below is
 * the wire and not a C ABI.  The client sends one request and waits for its
 * reply; the daemon answers each request with exactly one frame (the
 * request's reply type, or MVAP_T_ERROR) whose seq is the request's.
 *
 * Rules (docs/authority-protocol.md, "Versions"): MVAP_VERSION goes up when
 * a message's layout or a field's meaning changes; a new message type takes
 * a new number and does not; a daemon answers a frame of another version
 * with MVAP_T_ERROR (EPROTONOSUPPORT) and disconnects.
 */

#include <stdint.h>

#define MVAP_MAGIC          0x5041564du  /* "MVAP" in stream order */
#define MVAP_VERSION        1u
#define MVAP_HDR_LEN        16u

/* Message types; the comment says who sends it and its payload's layout. */
enum mvap_type {
	MVAP_T_HELLO       = 1,   /* VM -> daemon, first frame: identity, boot facts */
	MVAP_T_WELCOME     = 2,   /* reply to HELLO */
	MVAP_T_LOAD        = 3,   /* VM: a module load, with the image bytes */
	MVAP_T_VERDICT     = 4,   /* reply to LOAD */
	MVAP_T_EVENT       = 5,   /* VM: what became of a load (MV_HC_MODULE_EVENT) */
	MVAP_T_ACK         = 6,   /* reply to EVENT and VIOLATION: logged, or refused */
	MVAP_T_VIOLATION   = 7,   /* VM: a write to read-only memory (modvisor only) */
	MVAP_T_SEAL        = 8,   /* VM (modvisor): a seal the VMM made or refused */
	MVAP_T_UNSEAL      = 9,   /* VM (modvisor): a module's pages writable again */
	MVAP_T_SEAL_RESULT = 10,  /* reserved, never sent (SEAL and UNSEAL take ACK) */
	MVAP_T_STATUS      = 11,  /* anyone, without HELLO: the daemon's state */
	MVAP_T_STATUS_TEXT = 12,  /* reply to STATUS: text lines */
	MVAP_T_BYE         = 13,  /* VM: clean detach (the daemon closes) */
	MVAP_T_ERROR       = 14,  /* daemon: a request failed (see fatal) */
	MVAP_T_COUNT
};

/* ---- header (16 bytes) ---------------------------------------------------
 *  0 u32 magic    MVAP_MAGIC
 *  4 u16 version  MVAP_VERSION
 *  6 u16 type     enum mvap_type
 *  8 u32 len      payload bytes after the header, <= the type's cap
 * 12 u32 seq      chosen by the requester; the reply echoes it
 */

/* Caps.  A frame above its type's cap is refused from its header alone. */
#define MVAP_NAME_MAX       64u                 /* VM name: [A-Za-z0-9._-]{1,64} */
#define MVAP_VERMAGIC_MAX   255u
#define MVAP_PATH_MAX       255u                /* finit_module path (MV_HC: char[256]) */
#define MVAP_PARAMS_MAX     1024u               /* = MV_MODLOAD_PARAMS_MAX */
#define MVAP_IMAGE_MAX      (64ull << 20)       /* = MV_MODLOAD_IMAGE_MAX */
#define MVAP_REASON_MAX     127u                /* verdict reason (MV_HC: char[128]) */
#define MVAP_MODNAME_MAX    55u                 /* event name (MV_HC: char[56]) */
#define MVAP_TEXT_MAX       255u                /* ACK/ERROR/VIOLATION strings */
#define MVAP_STATUS_MAX     (64u << 10)         /* STATUS_TEXT */
#define MVAP_SMALL_MAX      4096u               /* cap of every type but LOAD, STATUS_TEXT */

/* ---- HELLO: 64 + name_len + vermagic_len bytes ------------------------------
 *  0 u32 transport      MVAP_TRANSPORT_*
 *  4 u32 flags          MVAP_HELLO_* (others must be 0)
 *  8 u8  uuid[16]       the VM's UUID (RFC 4122 byte order); not all zero
 * 24 u8  kernel_sha256[32]  of the kernel ELF booted; all zero = unknown
 *                       (a guest speaking for itself cannot hash its file)
 * 56 u16 name_len       1..MVAP_NAME_MAX
 * 58 u16 vermagic_len   0..MVAP_VERMAGIC_MAX (0 = not given)
 * 60 u32 reserved       0
 * 64 name, then vermagic (printable ASCII, no NUL)
 */
#define MVAP_HELLO_FIXED        64u
#define MVAP_TRANSPORT_MODVISOR 1u   /* a `modvisor run` VMM speaks for its guest */
#define MVAP_TRANSPORT_QEMU     2u   /* the guest itself, over virtio-serial */
#define MVAP_HELLO_PROTECT      1u   /* the VMM enforces read-only memory (can seal) */
#define MVAP_HELLO_FLAGS_ALL    1u

/* ---- WELCOME: 24 bytes ---------------------------------------------------
 *  0 u32 policy         MVAP_POLICY_* in force for this VM
 *  4 u32 vm_id          the daemon's number for this connection (status, log)
 *  8 u64 image_max      largest image the daemon accepts (MVAP_IMAGE_MAX)
 * 16 u32 reserved[2]    0
 */
#define MVAP_WELCOME_LEN        24u
#define MVAP_POLICY_SIG_ENFORCE   1u
#define MVAP_POLICY_PROTECT       2u  /* protect = on: the VMM makes memory read-only */
#define MVAP_POLICY_VIOLATION_LOG 4u  /* on_violation = log (else stop) */
#define MVAP_POLICY_REQUIRE_SEAL  8u  /* require_seal = on (issue 14/18) */

/* ---- LOAD: 48 + path_len + params_len + image_len + file_len bytes ---------
 *  0 u32 source         MV_MODSRC_INIT_MODULE or MV_MODSRC_FINIT_MODULE
 *  4 u32 flags          finit_module flags, within MV_MODULE_INIT_FLAGS_ALL
 *  8 u32 params_flags   MV_MODPARAMS_CUT | MV_MODPARAMS_UNREADABLE | MVAP_PARAMS_NONE
 * 12 u16 path_len       0..MVAP_PATH_MAX; 0 for init_module
 * 14 u16 params_len     0..MVAP_PARAMS_MAX; 0 with MVAP_PARAMS_NONE
 * 16 u64 image_size     the image's size in the guest
 * 24 u64 image_len      bytes of it sent: image_size, or 0 when image_size
 *                       > MVAP_IMAGE_MAX (denied EFBIG, logged unmeasured)
 * 32 u64 file_size      the compressed file as read, or 0
 * 40 u64 file_len       bytes of it sent: file_size, or 0 when > MVAP_IMAGE_MAX
 * 48 path, params, image, file (path: no NUL; params: bytes, cut at a NUL)
 */
#define MVAP_LOAD_FIXED         48u
#define MVAP_PARAMS_NONE        0x100u  /* the guest sent no parameter copy */
#define MVAP_LOAD_MAX           (MVAP_LOAD_FIXED + MVAP_PATH_MAX + MVAP_PARAMS_MAX + \
				 2 * MVAP_IMAGE_MAX)

/* ---- VERDICT: 20 + reason_len bytes -------------------------------------
 *  0 u32 verdict        MV_VERDICT_ALLOW or MV_VERDICT_DENY
 *  4 i32 errno          positive (Linux numbering) when denied, else 0
 *  8 u32 taints         1u << MV_TAINT_*
 * 12 u32 load_id        names this load in EVENT; never 0
 * 16 u16 reason_len     0..MVAP_REASON_MAX; 0 when allowed
 * 18 u16 seal           MVAP_SEAL_*: what sealing this load gets
 * 20 reason (printable ASCII)
 */
#define MVAP_VERDICT_FIXED      20u
#define MVAP_SEAL_NONE          0u   /* nothing said (protocol v1 daemons) */
#define MVAP_SEAL_UNAVAILABLE   1u   /* the transport cannot seal (qemu) */

/* ---- EVENT: 64 + name_len bytes -----------------------------------------
 *  0 u32 load_id  4 u32 event (enum mv_modevent)  8 i32 err  12 i32 init_ret
 * 16 u64 base     24 u32 taints  28 u32 fault_vector  32 u32 fault_where
 * 36 u32 name_len (0..MVAP_MODNAME_MAX)
 * 40 u64 fault_rip  48 u64 fault_offset  56 u64 fault_cr2
 * 64 name
 */
#define MVAP_EVENT_FIXED        64u

/* ---- SEAL and UNSEAL: 96 + why_len bytes; the reply is ACK -------------------
 * The VMM re-derives, compares and locks (vmm/hc_seal.c); the daemon checks
 * the record against the load's state, logs it and acknowledges it only
 * once the entry is durable.  The module's name is the daemon's own reading
 * of the image of load_id: the frame carries none.
 *  0 u32 load_id     not 0
 *  4 u16 part        MVAP_SEAL_PART_*: SEAL text+rodata or ro_after_init, UNSEAL all
 *  6 u16 flags       MVAP_SEALF_DIGEST: text_xxh3/text_sha256 hold the text digest
 *  8 i32 err         0 done; 1..4095: the VMM refused the seal (SEAL text+rodata)
 * 12 u16 why_len     0..MVAP_TEXT_MAX
 * 14 u16 reserved    0
 * 16 u64 gpa         first guest-physical byte that changed (0 when refused)
 * 24 u64 len         bytes that changed (0 when refused); gpa + len < 2^64
 * 32 u64 text_size   bytes the digest covers (0 without it)
 * 40 u8  text_xxh3[16]    XXH3-128 of core text+rodata (zero without DIGEST)
 * 56 u8  text_sha256[32]  SHA-256 of the same bytes (zero without DIGEST)
 * 88 u64 reserved    0
 * 96 why (printable ASCII)
 * DIGEST is set exactly on a done SEAL of text+rodata.
 */
#define MVAP_SEAL_FIXED         96u
#define MVAP_SEAL_PART_TEXT     1u   /* text+rodata (core, and init's while init runs) */
#define MVAP_SEAL_PART_RAI      2u   /* ro_after_init, once init returned */
#define MVAP_SEAL_PART_ALL      3u   /* UNSEAL: every page of the module */
#define MVAP_SEALF_DIGEST       1u

/* ---- ACK: 8 + why_len bytes ----------------------------------------------
 *  0 i32 status         0 = logged; -EINVAL = refused (logged as `refused`:
 *                       the VMM stops the VM); other -errno: not logged
 *                       (a log that cannot be written is a fatal ERROR EIO)
 *  4 u16 why_len        0..MVAP_TEXT_MAX
 *  6 u16 reserved       0
 *  8 why
 */
#define MVAP_ACK_FIXED          8u

/* ---- VIOLATION: 40 + the three strings ----------------------------------
 *  0 u64 gpa  8 u64 value  16 u64 rip  24 u32 len
 * 28 u16 target_len  30 u16 where_len  32 u16 action_len  34 u16 reserved[3]
 * 40 target, where, action (each 0..MVAP_TEXT_MAX, printable ASCII)
 */
#define MVAP_VIOLATION_FIXED    40u

/* ---- ERROR: 8 + msg_len bytes --------------------------------------------
 *  0 i32 errno (positive)  4 u16 msg_len  6 u16 fatal (1: the daemon closes)
 *  8 msg
 */
#define MVAP_ERROR_FIXED        8u

/* STATUS: empty.  STATUS_TEXT: printable ASCII lines.  BYE: empty. */

#endif
