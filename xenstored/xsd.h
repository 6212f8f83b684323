/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenstored internals: the tree, transactions, watches, domains and
 * connections. Everything hangs off one struct xsd so that tests and the
 * fuzzer can run any number of independent daemons in one process.
 */
#ifndef XENSTORED_XSD_H
#define XENSTORED_XSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <xenon/xs_wire.h>

/*
 * On the path of every request. GCC gathers such functions in .text.hot,
 * a few pages instead of most of the binary: under emulation, where each
 * switch between processes empties the TLB, every page the daemon touches
 * after it is switched in costs a page walk.
 */
#define XSD_HOT __attribute__((hot))

/* Zeroed memory from a page boundary: the structs whose hot fields are laid out to share a page. */
static inline void *xsd_page_zalloc(size_t size)
{
    void *p = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);

    return p ? memset(p, 0, size) : NULL;
}

#define XSD_DOMID_MAX 0x7ff0u /* DOMID_FIRST_RESERVED */
#define XSD_UNLIMITED 0u

struct xsd_perm {
    uint16_t domid;
    uint8_t access; /* XS_PERM_*, and XSD_PERM_IGNORE */
};
/* In access: the domain did not exist when the permission was set, so the
 * entry never matches (a later domain with that id inherits nothing); it is
 * still listed by GET_PERMS, as Xen does. */
#define XSD_PERM_IGNORE 4

/* Per-domain limits; 0 means unlimited. */
struct xsd_quota {
    unsigned nodes;        /* nodes owned by the domain */
    unsigned watches;      /* watches registered by the domain */
    unsigned transactions; /* open transactions per connection */
    unsigned node_size;    /* bytes of value per node */
    unsigned outstanding;  /* replies queued but unsent before we stop reading */
    unsigned perms;        /* permission entries per node */
    unsigned txn_nodes;    /* nodes touched by one transaction */
};

struct xsd_config {
    struct xsd_quota domu;
    struct xsd_quota dom0;
    size_t out_max; /* bytes queued for one connection before events drop */
    bool keep_orphans; /* a dead domain's nodes pass to Dom0 instead of going */
};

void xsd_config_default(struct xsd_config *cfg);
int xsd_quota_set(struct xsd_quota *q, const char *name, unsigned long val);
int xsd_quota_get(const struct xsd_quota *q, const char *name, unsigned long *val);
extern const char *const xsd_quota_names[];

/* ---- nodes and the node table (tree.c) ---- */

enum node_kind { NODE_LIVE, NODE_TOMB, NODE_SEEN };

/*
 * A permission set, shared by every node that has it: a new node takes its
 * parent's, so a tree holds few. Never changed once made (copy, then swap
 * the pointer); freed with its last reference. Nodes of one daemon only, so
 * the count needs no atomics.
 */
struct node_perms {
    uint32_t refs;
    uint16_t n;
    struct xsd_perm p[];
};

/* A node's children: NUL-terminated leaf names, back to back, as DIRECTORY
 * returns them. Leaves have none. */
struct node_kids {
    uint32_t len, cap;
    char names[];
};

/*
 * One allocation per node: this header, the path (NUL-terminated) and the
 * value right after it. A node whose value changes size may move (see
 * node_set_value); the tree has no parent pointers, so only its hash chain
 * refers to it.
 */
struct node {
    struct node *hnext;
    uint64_t gen;              /* bumped on every change; a txn records it */
    struct node_perms *perms;  /* NULL only in a transaction's SEEN records */
    struct node_kids *kids;    /* NULL: no children */
    uint32_t hash;
    uint16_t plen;
    uint16_t vlen;
    uint8_t kind;              /* only transactions hold TOMB/SEEN records */
    uint8_t fire;              /* transaction: fire watches at commit (FIRE_*) */
    char path[];               /* then the value */
};

static inline const char *node_value(const struct node *n)
{
    return n->path + n->plen + 1;
}

static inline const char *node_children(const struct node *n)
{
    return n->kids ? n->kids->names : "";
}

static inline size_t node_clen(const struct node *n)
{
    return n->kids ? n->kids->len : 0;
}

static inline uint16_t node_owner(const struct node *n)
{
    return n->perms->p[0].domid;
}

struct node_table {
    struct node **buckets;
    size_t nbuckets, count;
};

int node_table_init(struct node_table *t, size_t nbuckets);
void node_table_free(struct node_table *t);
struct node *node_table_find(const struct node_table *t, const char *path, size_t plen);
int node_table_insert(struct node_table *t, struct node *n);
void node_table_remove(struct node_table *t, struct node *n);

struct node *node_new(const char *path, size_t plen);
struct node *node_clone(const struct node *n);
void node_free(struct node *n);
/* Replace the value; *np may move, and is relinked in @t (NULL: in no table). */
int node_set_value(struct node_table *t, struct node **np, const void *val, size_t len);
int node_set_perms(struct node *n, const struct xsd_perm *p, unsigned np);
void node_share_perms(struct node *n, struct node_perms *p);
void node_drop_children(struct node *n);
int node_add_child(struct node *n, const char *name, size_t len);
void node_del_child(struct node *n, const char *name, size_t len);
struct node_perms *perms_new(const struct xsd_perm *p, unsigned np);
void perms_put(struct node_perms *p);
/* Entries for @domid in @p (not the owner's) never match again. In place:
 * a node's set is shared by nodes that all granted the same. */
void perms_forget(struct xsd_perm *p, unsigned n, unsigned domid);

int perms_parse(const char *buf, size_t len, struct xsd_perm **out, unsigned *np);
int perm_format(const struct xsd_perm *p, char *buf, size_t len);

/* ---- transactions and access to the tree (txn.c) ---- */

struct xsd;
struct conn;

struct dom_delta {
    uint16_t domid;
    int delta;
};

/* node.fire: which watchers a transaction tells at commit; NODE wins over EXACT. */
enum { FIRE_NONE, FIRE_EXACT, FIRE_NODE };

/* A path a transaction touched, and its permissions then (NULL: absent). */
struct txn_seen {
    char *path;
    struct node_perms *before;
};

struct txn {
    struct txn *next;
    uint32_t id;
    struct node_table nodes; /* copies, tombstones and read markers */
    struct txn_seen *seen;   /* the paths in nodes, in the order first touched: */
    unsigned nseen, capseen; /* commit fires watches in that order, as Xen does */
    unsigned ndelta;
    struct dom_delta delta[8]; /* node-count changes per owner */
    bool overflow;             /* too many owners to track: fail on commit */
};

/* An access context: which view of the tree an operation sees and who acts. */
struct access {
    struct xsd *x;
    struct txn *t;  /* NULL: act on the live tree */
    struct conn *c; /* NULL: internal */
};

const struct node *acc_get(struct access *a, const char *path, size_t plen);
int acc_write(struct access *a, const char *path, const void *val, size_t len, bool mkdir);
int acc_rm(struct access *a, const char *path);
int acc_set_perms(struct access *a, const char *path, const struct xsd_perm *p, unsigned np);
int acc_check(struct access *a, const struct node *n, unsigned want);
/* The error for @path being absent: EACCES when its closest existing
 * ancestor denies @want (Xen hides what lies below), else ENOENT. */
int acc_missing(struct access *a, const char *path, unsigned want);
/* Xen's end of a domain, so that a later domain with its id finds nothing:
 * every node it owns goes, with all below it, in tree order (watchers told as
 * by RM), and what it was granted elsewhere never matches again. */
int tree_forget_domain(struct xsd *x, unsigned domid);
int perms_allow(struct xsd *x, const struct conn *c, const struct xsd_perm *p, unsigned np,
                unsigned want);

struct txn *txn_new(uint32_t id);
void txn_free(struct txn *t);
int txn_commit(struct xsd *x, struct txn *t);

/* ---- watches (watch.c) ---- */

struct watch {
    struct watch *hnext;    /* in the path hash */
    struct watch *cnext;    /* in the connection's list */
    struct conn *c;
    uint32_t hash;
    uint16_t rel_off;       /* bytes to strip from event paths (relative watch) */
    uint16_t plen;
    char *token;
    char path[];
};

/* Who hears of one of Xen's special events; NULL p: domain 0's alone. */
struct special_perms {
    struct xsd_perm *p;
    unsigned n;
};

struct watch_table {
    struct watch **buckets;
    size_t nbuckets, count;
    struct special_perms introduce, release; /* @introduceDomain, @releaseDomain */
};

int watch_table_init(struct watch_table *wt);
void watch_table_free(struct watch_table *wt);
int watch_add(struct xsd *x, struct conn *c, const char *path, const char *token, size_t rel_off);
int watch_del(struct xsd *x, struct conn *c, const char *path, const char *token);
void watch_del_all(struct xsd *x, struct conn *c);
/* A node changed: tell every watcher of it or an ancestor; with @exact,
 * only those of the node itself (Xen's rule for the nodes below a removed one). */
void watch_fire(struct xsd *x, const char *path, size_t plen, const struct xsd_perm *perms,
                unsigned nperms, bool exact);
/* A node whose permissions were @before (NULL: it was absent) and are now
 * @now changed: those who could read it under either hear of it, as in Xen
 * (SET_PERMS, and every change a transaction commits). */
void watch_fire_since(struct xsd *x, const char *path, size_t plen, const struct node_perms *now,
                      const struct node_perms *before, bool exact);
void watch_fire_special(struct xsd *x, const char *name);
/* SET_PERMS on "@introduceDomain" or "@releaseDomain": who hears of it.
 * Takes *p on success. EINVAL for other names, EACCES unless the owner. */
int watch_special_set_perms(struct xsd *x, const struct conn *c, const char *name,
                            struct xsd_perm **p, unsigned np);
/* A domain is gone: its entries in those permissions never match again. */
void watch_special_forget(struct xsd *x, unsigned domid);
int watch_send(struct xsd *x, struct watch *w, const char *path, size_t plen);

/* ---- domains (domain.c) ---- */

struct domain {
    uint16_t domid;
    uint16_t target;      /* SET_TARGET: acts with this domain's rights too */
    bool has_target;
    bool introduced;
    bool shutdown;
    unsigned nodes;       /* nodes owned */
    unsigned checked;     /* scratch for CONTROL check */
    unsigned watches;     /* watches registered */
    unsigned nconns;
    unsigned long mfn;
    uint32_t port;
    struct conn *ring;    /* the ring connection, when mapped */
};

struct domain *domain_get(struct xsd *x, unsigned domid, bool create);
void domain_free_all(struct xsd *x);
void domain_put(struct xsd *x, struct domain *d);
const struct xsd_quota *domain_quota(struct xsd *x, unsigned domid);
void domain_account(struct xsd *x, unsigned domid, int delta);
int domain_introduce(struct xsd *x, unsigned domid, unsigned long mfn, uint32_t port);
int domain_release(struct xsd *x, unsigned domid);
bool domain_exists(struct xsd *x, unsigned domid);
int domain_check_perms(struct xsd *x, struct xsd_perm *p, unsigned np);

/* A domain as the hypervisor sees it (x->domain_state). */
enum xsd_dom_state {
    XSD_DOM_GONE,     /* dying or destroyed */
    XSD_DOM_RUNNING,  /* (or paused, blocked: not shut down) */
    XSD_DOM_SHUTDOWN, /* shut down for any reason, not dying yet: it may be resumed */
};

/* What domain_release_dead() did, for the caller's log. */
struct domain_sweep {
    unsigned shut_down; /* domains newly seen shut down: kept, @releaseDomain fired */
    unsigned released;  /* domains released */
    uint16_t ids[16];   /* the first of them */
    unsigned failed;    /* domains whose state could not be read: left as they were */
    int err;            /* the first such error */
    uint16_t err_domid;
};

/*
 * Ask x->domain_state about every introduced domain, as Xen's daemon does
 * on VIRQ_DOM_EXC. Those dying or gone are released as XS_RELEASE does:
 * their ring connection dies at once (nothing touches the page again; the
 * event loop unmaps it), their nodes stay for the toolstack to remove.
 * Those newly shut down stay introduced (a suspended guest may be resumed;
 * XS_RESUME re-arms the notice). @releaseDomain fires once for the lot if
 * anything changed. Does nothing without x->domain_state (a host).
 */
void domain_release_dead(struct xsd *x, struct domain_sweep *s);

/* ---- connections (conn.c) ---- */

struct outbuf {
    struct outbuf *next;
    size_t len, off;
    bool event;
    char *data; /* right behind it, or (the spare) in the connection */
};

struct conn_ops {
    /* Move bytes; return count, 0 for nothing now, negative errno to close. */
    ssize_t (*read)(struct conn *c, void *buf, size_t len);
    ssize_t (*write)(struct conn *c, const void *buf, size_t len);
    ssize_t (*writev)(struct conn *c, const struct iovec *iov, int cnt); /* optional */
    void (*destroy)(struct conn *c);
};

/* Replies up to this size reuse the connection's spare buffer: no allocation per request. */
#define CONN_SPARE_BYTES 512

/*
 * Every field a request touches, and the spare buffer its reply goes to,
 * come before the input buffer, and a request's first bytes follow them:
 * with the connection page-aligned, a short request, its reply and their
 * bookkeeping share one page (each page a request touches costs a TLB
 * refill after every switch between processes).
 */
struct conn {
    struct conn *next, *prev;
    struct xsd *x;
    const struct conn_ops *ops;
    void *priv;
    int fd;
    uint16_t domid;
    bool privileged;
    bool dead;
    bool dirty;             /* on the event loop's flush list */
    bool input_held;        /* conn_input stopped for the reply quota, not for want of bytes */
    struct conn *dirty_next;
    unsigned ev_mask;       /* epoll interest currently registered */
    /* output */
    struct outbuf *out_head, *out_tail;
    size_t out_bytes;
    unsigned out_replies;
    unsigned long events_dropped;
    struct outbuf spare; /* its data: spare_data */
    bool spare_queued;
    /* state */
    struct txn *txns;
    unsigned ntxns;
    struct watch *watches;
    char spare_data[CONN_SPARE_BYTES];
    /* input: a header then its payload */
    size_t in_have;
    char in[sizeof(struct xs_msg_hdr) + XS_PAYLOAD_MAX];
};

struct conn *conn_new(struct xsd *x, const struct conn_ops *ops, void *priv, uint16_t domid,
                      bool privileged);
void conn_free(struct conn *c);
int conn_queue(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
               const void *a, size_t alen, const void *b, size_t blen, bool event);
int conn_input(struct conn *c);
int conn_resume_input(struct conn *c);
int conn_output(struct conn *c);
/* The queued output as up to @max iovecs (returns how many), and the bytes of it written. */
int conn_output_iov(struct conn *c, struct iovec *iov, int max);
void conn_wrote(struct conn *c, size_t n);
/* A message taken off the queue (written, or dropped) is done with. */
void conn_out_done(struct conn *c, struct outbuf *o);
bool conn_wants_input(const struct conn *c);

/* ---- the daemon (ops.c) ---- */

/* The fields every request reads first, the domain table (2 KiB, rarely read) last. */
struct xsd {
    struct xsd_config cfg;
    struct node_table tree;
    struct watch_table watches;
    struct conn *conns;
    uint64_t gen;
    uint32_t next_txid;
    bool log;
    unsigned long stat_requests;
    /* the guest transport; NULL on a host without Xen devices */
    int (*map_ring)(struct xsd *x, struct domain *d);
    /*
     * The hypervisor's view of a domain: an enum xsd_dom_state, or a
     * negative errno if that cannot be read. NULL on a host; tests fake it.
     */
    int (*domain_state)(struct xsd *x, unsigned domid);
    void *dominfo; /* domain_state's state */
    /* The VIRQ the transport bound fired: release the dead (domain_release_dead). */
    void (*dom_exc)(struct xsd *x);
    void (*conn_changed)(struct xsd *x, struct conn *c); /* output queued */
    void *transport;
    struct domain **domains[256]; /* by domid: 256 lazily allocated pages of 256 */
};

int xsd_init(struct xsd *x, const struct xsd_config *cfg);
void xsd_fini(struct xsd *x);
/* Handle one complete request; replies and events go to the output queues.
 * Returns 0, or a negative errno if the connection must be dropped. */
int xsd_dispatch(struct xsd *x, struct conn *c, const struct xs_msg_hdr *h, const char *payload);
const char *xsd_errname(int err);
int xsd_control(struct xsd *x, struct conn *c, const char *payload, size_t len, char *out,
                size_t outmax, size_t *outlen);

/* The guest ring (ring.c): byte copies with the barriers the protocol needs.
 * Both return bytes moved, or -EIO if the guest corrupted the indexes. */
ssize_t xs_ring_read(struct xs_ring_page *r, void *buf, size_t len);
ssize_t xs_ring_write(struct xs_ring_page *r, const void *buf, size_t len);
/* Xen devices: returns 0 and sets x->map_ring, or -errno if absent. */
int xen_transport_open(struct xsd *x, int *evtchn_fd);
void xen_transport_close(struct xsd *x);
/* Bind a global VIRQ (one at most) on the transport's event channel device. */
int xen_transport_bind_virq(struct xsd *x, unsigned virq);
/* Serve pending ports (the fd may have nothing); the bound VIRQ first, through x->dom_exc. */
void xen_transport_event(struct xsd *x);
/*
 * Domain 0's own kernel's ring, offered through xenfs (/proc/xen/xsd_kva and
 * xsd_port): served as domain 0's privileged connection. -ENOENT: no such
 * files (a host, a DomU, xenfs not mounted); -ENXIO: the kernel offers no
 * ring; -ENODEV: no transport (xen_transport_open failed).
 */
int xen_transport_local_ring(struct xsd *x, const char *kva_path, const char *port_path);
/* Its pure parts: the two files' text, and mapping the page (tests use plain files). */
int xs_local_ring_parse(const char *kva, const char *port_text, uint32_t *port);
int xs_local_ring_map(const char *kva_path, const char *port_path, struct xs_ring_page **page,
                      uint32_t *port);

/* Paths */
int path_canon(struct conn *c, const char *in, char *out, size_t outmax, size_t *rel_off);
bool path_is_valid(const char *p, size_t len);
size_t path_parent_len(const char *p, size_t len);

#endif /* XENSTORED_XSD_H */
