// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_DOMCTL_gethvmcontext / sethvmcontext / gethvmcontext_partial from the
 * control domain, used the way libxenctrl 4.17 starts a PVH guest
 * (xg_dom_x86.c, vcpu_hvm): ask for the size, get the whole stream, set
 * each vCPU's MTRR record with the default type write-back, then set the
 * header with vCPU 0's CPU record, and unpause.
 *
 * d1 (two vCPUs) gets a few pages of code and data, written through foreign
 * maps, and a CPU record entering 32-bit flat code with chosen registers.
 * It records what it was started with, reads its MTRR default type, prints
 * a line through its hypercall page and then counts forever: the control
 * domain reads all of that, gets the context of the running domain (which
 * the hypervisor pauses for the call) and sets it back, and d1 counts on.
 * d2 starts in 64-bit mode on page tables of its own, after its context
 * made a round trip, and powers off by halting.
 *
 * Before any of that: a fresh domain's stream holds no CPU records (its
 * vCPUs are down) and nothing Xenon cannot produce, and malformed streams,
 * records Xenon does not have and bad register state are refused with
 * nothing changed; the control domain cannot ask about itself.
 */
#include "guest.h"
#include "ctl.h"
#include "mem.h"
#include <public/hvm/save.h>

#define MS 1000000ull

/* The new domains' memory (guest frames), below 2 MiB. */
#define CODE_GFN 0x100
#define DATA_GFN 0x101
#define HCALL_GFN 0x102
#define PML4_GFN 0x103
#define PDPT_GFN 0x104
#define PD_GFN 0x105
#define NR_GFNS 6
#define GPA(gfn) ((uint64_t)(gfn) << 12)

#define MAGIC32 0x48564d43u            /* "CMVH" */
#define MAGIC64 0x3436746e65746e6full  /* "onetnt64" */
#define LINE_OFF 0x100
#define LINE_LEN_OFF 0xfc

#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define MTRR_WB_ENABLED 0x806ull

/* What d1 writes into its data page (32-bit words). */
enum {
    W_MAGIC, W_EAX, W_ECX, W_EDX, W_ESI, W_EDI, W_EBP, W_ESP, W_MTRR, W_CR0, W_HCALL_RC, W_COUNT
};
/* What d2 writes (64-bit words). */
enum { Q_MAGIC, Q_RAX, Q_R8, Q_R15, Q_RSP, Q_CR0, Q_CR4 };

_Static_assert(HCALL_GFN == 0x102 && DATA_GFN == 0x101, "code32 below names these frames");

/*
 * d1's code: 32-bit flat protected mode, paging off, EBX = its data page.
 * Position-independent: copied to CODE_GFN.
 */
extern const uint8_t code32[], code32_end[];
__asm__(".pushsection .rodata.guest_code, \"a\"\n"
        ".code32\n"
        "code32:\n"
        "    movl %eax, 4(%ebx)\n"
        "    movl %ecx, 8(%ebx)\n"
        "    movl %edx, 12(%ebx)\n"
        "    movl %esi, 16(%ebx)\n"
        "    movl %edi, 20(%ebx)\n"
        "    movl %ebp, 24(%ebx)\n"
        "    movl %esp, 28(%ebx)\n"
        "    movl $0x2ff, %ecx\n"              /* IA32_MTRR_DEF_TYPE */
        "    rdmsr\n"
        "    movl %eax, 32(%ebx)\n"
        "    movl %cr0, %eax\n"
        "    movl %eax, 36(%ebx)\n"
        "    movl $0x40000000, %ecx\n"         /* fill the hypercall page at HCALL_GFN */
        "    movl $0x102000, %eax\n"
        "    xorl %edx, %edx\n"
        "    wrmsr\n"
        "    pushl %ebx\n"
        "    leal 0x100(%ebx), %edx\n"         /* console_io(CONSOLEIO_write, len, line) */
        "    movl 0xfc(%ebx), %ecx\n"
        "    xorl %ebx, %ebx\n"
        "    movl $(0x102000 + 18 * 32), %eax\n"
        "    call *%eax\n"
        "    popl %ebx\n"
        "    movl %eax, 40(%ebx)\n"
        "    movl $0x48564d43, (%ebx)\n"
        "1:  incl 44(%ebx)\n"
        "    jmp 1b\n"
        "code32_end:\n"
        ".code64\n"
        ".popsection\n");

/* d2's code: 64-bit, on its own page tables, RBX = its data page; halts with interrupts off. */
extern const uint8_t code64[], code64_end[];
__asm__(".pushsection .rodata.guest_code, \"a\"\n"
        "code64:\n"
        "    movq %rax, 8(%rbx)\n"
        "    movq %r8, 16(%rbx)\n"
        "    movq %r15, 24(%rbx)\n"
        "    movq %rsp, 32(%rbx)\n"
        "    movq %cr0, %rax\n"
        "    movq %rax, 40(%rbx)\n"
        "    movq %cr4, %rax\n"
        "    movq %rax, 48(%rbx)\n"
        "    movabsq $0x3436746e65746e6f, %rax\n"
        "    movq %rax, (%rbx)\n"
        "    cli\n"
        "2:  hlt\n"
        "    jmp 2b\n"
        "code64_end:\n"
        ".popsection\n");

static const char line[] = "hello from a vCPU that XEN_DOMCTL_sethvmcontext started\n";

static struct shared_info *si;
static uint8_t ctx[8192] __attribute__((aligned(16)));
static uint64_t local_base; /* where we map a new domain's frames: local_base + (gfn - CODE_GFN) */

static uint64_t now(void) { return pvclock_read(&si->vcpu_info[0].time); }

/* ---- Calls, shaped like libxenctrl's ---- */

static long hvm_getcontext(domid_t d, void *buf, uint32_t *size)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_gethvmcontext, d);
    op.u.hvmcontext.size = *size;
    op.u.hvmcontext.buffer = XEN_GUEST_HANDLE_FROM_PTR(buf);
    rc = HYPERVISOR_domctl(&op);
    if (!rc)
        *size = op.u.hvmcontext.size;
    return rc;
}

static long hvm_setcontext(domid_t d, const void *buf, uint32_t size)
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_sethvmcontext, d);
    op.u.hvmcontext.size = size;
    op.u.hvmcontext.buffer = XEN_GUEST_HANDLE_FROM_PTR(buf);
    return HYPERVISOR_domctl(&op);
}

static long hvm_getcontext_partial(domid_t d, uint32_t type, uint32_t instance, void *buf,
                                   uint64_t *bufsz)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_gethvmcontext_partial, d);
    op.u.hvmcontext_partial.type = type;
    op.u.hvmcontext_partial.instance = instance;
    op.u.hvmcontext_partial.bufsz = *bufsz;
    op.u.hvmcontext_partial.buffer = XEN_GUEST_HANDLE_FROM_PTR(buf);
    rc = HYPERVISOR_domctl(&op);
    if (!rc)
        *bufsz = op.u.hvmcontext_partial.bufsz;
    return rc;
}

static bool vcpu_online(domid_t d, uint32_t vcpu)
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_getvcpuinfo, d);
    op.u.getvcpuinfo.vcpu = vcpu;
    if (!check_eq("getvcpuinfo", HYPERVISOR_domctl(&op), 0))
        return false;
    return op.u.getvcpuinfo.online;
}

/* ---- Streams ---- */

struct stream {
    uint8_t bytes[4096] __attribute__((aligned(8)));
    uint32_t len;
};

static void put(struct stream *s, uint16_t type, uint16_t instance, const void *body, uint32_t len)
{
    struct hvm_save_descriptor d = { .typecode = type, .instance = instance, .length = len };

    memcpy(s->bytes + s->len, &d, sizeof(d));
    if (len)
        memcpy(s->bytes + s->len + sizeof(d), body, len);
    s->len += sizeof(d) + len;
}

/* A stream that starts with the header of the one we got, as libxenctrl does. */
static void start_stream(struct stream *s, const uint8_t *got)
{
    s->len = 0;
    memcpy(s->bytes, got, sizeof(struct hvm_save_descriptor) + HVM_SAVE_LENGTH(HEADER));
    s->len = sizeof(struct hvm_save_descriptor) + HVM_SAVE_LENGTH(HEADER);
}

static void end_stream(struct stream *s) { put(s, HVM_SAVE_CODE_END, 0, NULL, 0); }

/* The body of record (type, instance) in a stream, as libxenctrl's hvm_get_save_record. */
static const void *find_record(const uint8_t *buf, uint32_t len, uint16_t type, uint16_t instance)
{
    uint32_t off = 0;

    while (off + sizeof(struct hvm_save_descriptor) <= len) {
        const struct hvm_save_descriptor *d = (const void *)(buf + off);

        if (d->typecode == HVM_SAVE_CODE_END)
            break;
        if (d->typecode == type && d->instance == instance)
            return d + 1;
        off += sizeof(*d) + d->length;
    }
    return NULL;
}

/* vCPU 0's CPU record as libxenctrl makes it: 32-bit flat, paging off. */
static void libxc_cpu(struct hvm_hw_cpu *c, uint64_t entry)
{
    memset(c, 0, sizeof(*c));
    c->cs_limit = c->ds_limit = c->es_limit = c->ss_limit = ~0u;
    c->tr_limit = 0x67;
    c->cs_arbytes = 0xc9b;
    c->ds_arbytes = c->es_arbytes = c->ss_arbytes = 0xc93;
    c->tr_arbytes = 0x8b;
    c->cr0 = CR0_PE | CR0_ET;
    c->rip = entry;
    c->dr6 = 0xffff0ff0;
    c->dr7 = 0x400;
}

/* ---- Domains ---- */

static domid_t create(uint32_t vcpus)
{
    struct xen_domctl op;
    struct xen_domctl_createdomain *c = &op.u.createdomain;

    domctl_init(&op, XEN_DOMCTL_createdomain, 0);
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = vcpus;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = -1;
    c->max_maptrack_frames = -1;
    c->grant_opts = XEN_DOMCTL_GRANT_version(1);
    c->arch.emulation_flags = XEN_X86_EMU_LAPIC;
    if (!check_eq("createdomain", HYPERVISOR_domctl(&op), 0))
        return 0;
    return op.domain;
}

static volatile uint8_t *local(uint64_t gfn) { return MEM_PTR(local_base + gfn - CODE_GFN); }

/* Give d its frames and map each into our physmap (zeroed, as populated). */
static bool give_memory(domid_t d)
{
    xen_pfn_t gfns[NR_GFNS];
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_max_mem, d);
    op.u.max_mem.max_memkb = 4 * NR_GFNS;
    if (!check_eq("max_mem", HYPERVISOR_domctl(&op), 0))
        return false;
    for (unsigned int i = 0; i < NR_GFNS; i++)
        gfns[i] = CODE_GFN + i;
    if (!check_eq("populate the new domain",
                  mem_reservation_op(XENMEM_populate_physmap, d, gfns, NR_GFNS, 0, 0), NR_GFNS))
        return false;
    for (unsigned int i = 0; i < NR_GFNS; i++) {
        int err;

        if (!check_eq("foreign map", mem_map_foreign(d, CODE_GFN + i, local_base + i, &err), 0) ||
            !check_eq("foreign map entry", err, 0))
            return false;
    }
    return true;
}

static void unmap_memory(void)
{
    for (unsigned int i = 0; i < NR_GFNS; i++)
        check_eq("unmap", mem_remove_from_physmap(local_base + i), 0);
}

static void destroy(domid_t d)
{
    check_eq("destroydomain", domctl_simple(XEN_DOMCTL_destroydomain, d), 0);
    if (!ctl_wait_gone(d, &si->vcpu_info[0].time, 2000 * MS))
        test_fail("d%u still there 2 s after destroydomain", d);
}

static bool wait_word32(volatile uint32_t *w, uint32_t want, const char *what)
{
    uint64_t end = now() + 2000 * MS;

    while (__atomic_load_n(w, __ATOMIC_ACQUIRE) != want) {
        if (now() > end) {
            test_fail("gave up waiting for %s", what);
            return false;
        }
        xen_yield();
    }
    return true;
}

/* The counter at *w gets well past from within 2 s. */
static bool counts_on(volatile uint32_t *w, uint32_t from)
{
    uint64_t end = now() + 2000 * MS;

    while (__atomic_load_n(w, __ATOMIC_RELAXED) - from < 100000) {
        if (now() > end) {
            test_fail("d1 stopped counting at %u", *w);
            return false;
        }
        xen_yield();
    }
    return true;
}

/* ---- The checks ---- */

static void not_on_ourselves(void)
{
    uint32_t size = sizeof(ctx);
    uint64_t bufsz = sizeof(ctx);

    check_eq("gethvmcontext of ourselves", hvm_getcontext(0, ctx, &size), -XEN_EINVAL);
    check_eq("sethvmcontext of ourselves", hvm_setcontext(0, ctx, 64), -XEN_EINVAL);
    check_eq("partial of ourselves", hvm_getcontext_partial(0, HVM_SAVE_CODE_CPU, 0, ctx, &bufsz),
             -XEN_EINVAL);
    check_eq("gethvmcontext of nobody", hvm_getcontext(77, ctx, &size), -XEN_ESRCH);
}

/* One record into the second half of ctx (the first holds a stream). */
static long partial(domid_t d, uint32_t type, uint32_t instance, uint64_t *bufsz)
{
    return hvm_getcontext_partial(d, type, instance, ctx + 4096, bufsz);
}

/* A domain just created: a header, an MTRR record per vCPU, the END; sizes and partial gets. */
static uint32_t fresh_context(domid_t d, uint32_t vcpus)
{
    const uint32_t desc = sizeof(struct hvm_save_descriptor);
    uint32_t size = 0, need, got;
    uint64_t bufsz;
    const struct hvm_save_header *h;
    const struct hvm_hw_mtrr *m;

    check_eq("size query", hvm_getcontext(d, NULL, &size), 0);
    need = desc + HVM_SAVE_LENGTH(HEADER) +
           vcpus * (2 * desc + HVM_SAVE_LENGTH(CPU) + HVM_SAVE_LENGTH(MTRR)) + desc;
    check_eq("size for every record", size, need);
    got = size - 1;
    check_eq("get into too small a buffer", hvm_getcontext(d, ctx, &got), -XEN_ENOSPC);
    got = size;
    check_eq("get into a bad buffer", hvm_getcontext(d, (void *)0xdead0000000ull, &got),
             -XEN_EFAULT);
    got = size;
    if (!check_eq("get", hvm_getcontext(d, ctx, &got), 0))
        return 0;
    check_eq("bytes written", got,
             desc + HVM_SAVE_LENGTH(HEADER) + vcpus * (desc + HVM_SAVE_LENGTH(MTRR)) + desc);
    h = find_record(ctx, got, HVM_SAVE_CODE_HEADER, 0);
    if (!h || ctx[0] != HVM_SAVE_CODE_HEADER) {
        test_fail("the stream does not start with its header");
        return 0;
    }
    check_eq("header magic", h->magic, HVM_FILE_MAGIC);
    check_eq("header version", h->version, HVM_FILE_VERSION);
    for (uint32_t i = 0; i < vcpus; i++) {
        if (find_record(ctx, got, HVM_SAVE_CODE_CPU, (uint16_t)i))
            test_fail("a CPU record for vCPU %u, which is down", i);
        m = find_record(ctx, got, HVM_SAVE_CODE_MTRR, (uint16_t)i);
        if (!m) {
            test_fail("no MTRR record for vCPU %u", i);
            continue;
        }
        check_eq("MTRRcap", m->msr_mtrr_cap, 0);
        check_eq("MTRR default type", m->msr_mtrr_def_type, 0);
        check_eq("PAT at reset", m->msr_pat_cr, 0x0007040600070406ull);
    }
    bufsz = 4096;
    check_eq("partial CPU of a down vCPU", partial(d, HVM_SAVE_CODE_CPU, 0, &bufsz), -XEN_ENODATA);
    check_eq("partial MTRR", partial(d, HVM_SAVE_CODE_MTRR, vcpus - 1, &bufsz), 0);
    check_eq("  its length", bufsz, HVM_SAVE_LENGTH(MTRR));
    bufsz = 100;
    check_eq("partial MTRR, small buffer", partial(d, HVM_SAVE_CODE_MTRR, 0, &bufsz), -XEN_ENOBUFS);
    check_eq("partial of a missing vCPU", partial(d, HVM_SAVE_CODE_MTRR, vcpus, &bufsz),
             -XEN_ENOENT);
    check_eq("partial header", partial(d, HVM_SAVE_CODE_HEADER, 0, &bufsz), -XEN_EINVAL);
    check_eq("partial LAPIC", partial(d, HVM_SAVE_CODE_LAPIC, 0, &bufsz), -XEN_EINVAL);
    return got;
}

/* Each refused with nothing changed: vCPU 0 stays offline. */
static void refused_loads(domid_t d, uint32_t vcpus)
{
    static struct stream s;
    static uint8_t junk[1024];
    struct hvm_hw_cpu c;
    struct hvm_hw_mtrr m = { .msr_pat_cr = 0x0007040600070406ull, .msr_mtrr_cap = 0x508,
                             .msr_mtrr_def_type = MTRR_WB_ENABLED };

#define LOAD_CPU(what, change, err)                                                                \
    do {                                                                                           \
        libxc_cpu(&c, GPA(CODE_GFN));                                                              \
        change;                                                                                    \
        start_stream(&s, ctx);                                                                     \
        put(&s, HVM_SAVE_CODE_CPU, 0, &c, sizeof(c));                                              \
        end_stream(&s);                                                                            \
        check_eq(what, hvm_setcontext(d, s.bytes, s.len), err);                                    \
    } while (0)
    LOAD_CPU("CR0.PG without PE", c.cr0 = CR0_ET | CR0_PG, -XEN_EINVAL);
    LOAD_CPU("long mode without PAE", (c.cr0 |= CR0_PG, c.msr_efer = EFER_LME | EFER_LMA),
             -XEN_EINVAL);
    LOAD_CPU("unknown EFER bit", c.msr_efer = 1ull << 12, -XEN_EINVAL);
    LOAD_CPU("data segment as CS", c.cs_arbytes = 0xc93, -XEN_EINVAL);
    LOAD_CPU("reserved MXCSR bit", (c.flags = XEN_X86_FPU_INITIALISED, c.fpu_regs[27] = 0x80),
             -XEN_EINVAL);
    LOAD_CPU("DR0 breakpoint", c.dr0 = 0x1000, -XEN_EOPNOTSUPP);
    LOAD_CPU("non-canonical LSTAR", c.msr_lstar = 1ull << 63, -XEN_EINVAL);
    LOAD_CPU("pending NMI with a wrong vector", c.pending_event = 0x80000203, -XEN_EINVAL);
    LOAD_CPU("pad0", c.pad0 = 1, -XEN_EINVAL);
#undef LOAD_CPU
    libxc_cpu(&c, GPA(CODE_GFN));
    /* Cut short: no END record. */
    start_stream(&s, ctx);
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, sizeof(c));
    check_eq("no END", hvm_setcontext(d, s.bytes, s.len), -XEN_ENODATA);
    end_stream(&s);
    check_eq("truncated body", hvm_setcontext(d, s.bytes, s.len - 100), -XEN_ENODATA);
    check_eq("bad buffer", hvm_setcontext(d, (void *)0xdead0000000ull, s.len), -XEN_EFAULT);
    check_eq("no domain", hvm_setcontext(77, s.bytes, s.len), -XEN_ESRCH);
    /* A CPU record of the wrong length, for a vCPU that does not exist, twice. */
    start_stream(&s, ctx);
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, sizeof(c) - 8);
    end_stream(&s);
    check_eq("short CPU record", hvm_setcontext(d, s.bytes, s.len), -XEN_EINVAL);
    start_stream(&s, ctx);
    put(&s, HVM_SAVE_CODE_CPU, (uint16_t)vcpus, &c, sizeof(c));
    end_stream(&s);
    check_eq("CPU record of a missing vCPU", hvm_setcontext(d, s.bytes, s.len), -XEN_EINVAL);
    start_stream(&s, ctx);
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, sizeof(c));
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, sizeof(c));
    end_stream(&s);
    check_eq("two CPU records of one vCPU", hvm_setcontext(d, s.bytes, s.len), -XEN_EINVAL);
    /* Records Xenon does not have, after a good one: that one must not load either. */
    start_stream(&s, ctx);
    put(&s, HVM_SAVE_CODE_CPU, 0, &c, sizeof(c));
    put(&s, HVM_SAVE_CODE_LAPIC_REGS, 0, junk, sizeof(junk));
    end_stream(&s);
    check_eq("LAPIC_REGS record", hvm_setcontext(d, s.bytes, s.len), -XEN_EOPNOTSUPP);
    start_stream(&s, ctx);
    put(&s, 77, 0, junk, 16);
    end_stream(&s);
    check_eq("unknown record type", hvm_setcontext(d, s.bytes, s.len), -XEN_EINVAL);
    start_stream(&s, ctx);
    put(&s, HVM_SAVE_CODE_MTRR, 0, &m, sizeof(m));
    end_stream(&s);
    check_eq("Xen's MTRR ranges", hvm_setcontext(d, s.bytes, s.len), -XEN_EOPNOTSUPP);
    /* A bad header. */
    start_stream(&s, ctx);
    ((struct hvm_save_header *)(s.bytes + sizeof(struct hvm_save_descriptor)))->magic ^= 1;
    end_stream(&s);
    check_eq("bad magic", hvm_setcontext(d, s.bytes, s.len), -XEN_EINVAL);
    check_eq("vCPU 0 still offline", vcpu_online(d, 0), false);
}

/* libxenctrl's sequence: MTRRs of each vCPU (write-back), then header + vCPU 0 + END. */
static bool libxc_start(domid_t d, uint32_t vcpus, uint32_t got, const struct hvm_hw_cpu *bsp)
{
    static struct stream s;

    for (uint32_t i = 0; i < vcpus; i++) {
        struct hvm_hw_mtrr m;
        const struct hvm_hw_mtrr *r = find_record(ctx, got, HVM_SAVE_CODE_MTRR, (uint16_t)i);

        if (!r) {
            test_fail("no MTRR record for vCPU %u", i);
            return false;
        }
        memcpy(&m, r, sizeof(m));
        m.msr_mtrr_def_type = MTRR_WB_ENABLED;
        start_stream(&s, ctx);
        put(&s, HVM_SAVE_CODE_MTRR, (uint16_t)i, &m, sizeof(m));
        end_stream(&s);
        if (!check_eq("set MTRRs", hvm_setcontext(d, s.bytes, s.len), 0))
            return false;
    }
    start_stream(&s, ctx);
    put(&s, HVM_SAVE_CODE_CPU, 0, bsp, sizeof(*bsp));
    end_stream(&s);
    return check_eq("set vCPU 0", hvm_setcontext(d, s.bytes, s.len), 0);
}

/* d1: the 32-bit start, its output, then a round trip of its context while it runs. */
static void run_32bit(void)
{
    static struct hvm_hw_cpu c, back;
    volatile uint32_t *data;
    uint64_t bufsz = sizeof(back);
    uint32_t got, count;
    domid_t d = create(2);

    if (!d || !give_memory(d))
        return;
    got = fresh_context(d, 2);
    if (!got)
        return;
    refused_loads(d, 2);

    memcpy((void *)local(CODE_GFN), code32, (size_t)(code32_end - code32));
    data = (volatile uint32_t *)local(DATA_GFN);
    memcpy((void *)((uintptr_t)data + LINE_OFF), line, sizeof(line) - 1);
    data[LINE_LEN_OFF / 4] = sizeof(line) - 1;
    libxc_cpu(&c, GPA(CODE_GFN));
    c.rax = 0x11111111;
    c.rcx = 0x22222222;
    c.rdx = 0x33333333;
    c.rsi = 0x44444444;
    c.rdi = 0x55555555;
    c.rbp = 0x66666666;
    c.rsp = GPA(DATA_GFN) + 0xf00;
    c.rbx = GPA(DATA_GFN);
    if (!libxc_start(d, 2, got, &c))
        return;
    check_eq("vCPU 0 online", vcpu_online(d, 0), true);
    check_eq("vCPU 1 still offline", vcpu_online(d, 1), false);
    check_eq("partial CPU record", hvm_getcontext_partial(d, HVM_SAVE_CODE_CPU, 0, &back, &bufsz),
             0);
    check_eq("  rip", back.rip, GPA(CODE_GFN));
    check_eq("  rbx", back.rbx, GPA(DATA_GFN));
    check_eq("  cs attributes", back.cs_arbytes, 0xc9b);

    check_eq("unpause", domctl_simple(XEN_DOMCTL_unpausedomain, d), 0);
    if (!wait_word32(&data[W_MAGIC], MAGIC32, "d1's registers"))
        return;
    check_eq("eax", data[W_EAX], 0x11111111);
    check_eq("ecx", data[W_ECX], 0x22222222);
    check_eq("edx", data[W_EDX], 0x33333333);
    check_eq("esi", data[W_ESI], 0x44444444);
    check_eq("edi", data[W_EDI], 0x55555555);
    check_eq("ebp", data[W_EBP], 0x66666666);
    check_eq("esp", data[W_ESP], GPA(DATA_GFN) + 0xf00);
    check_eq("its MTRR default type", data[W_MTRR], MTRR_WB_ENABLED);
    check_eq("its CR0", data[W_CR0], CR0_PE | CR0_ET);
    check_eq("its console_io", data[W_HCALL_RC], 0);

    /* It runs: the hypervisor pauses it for the call, and it goes on after. */
    got = sizeof(ctx);
    if (!check_eq("get from a running domain", hvm_getcontext(d, ctx, &got), 0))
        return;
    {
        const struct hvm_hw_cpu *r = find_record(ctx, got, HVM_SAVE_CODE_CPU, 0);

        if (!r || find_record(ctx, got, HVM_SAVE_CODE_CPU, 1)) {
            test_fail("the running domain's stream should hold vCPU 0's CPU record only");
            return;
        }
        if (r->rip < GPA(CODE_GFN) || r->rip >= GPA(CODE_GFN) + (uint64_t)(code32_end - code32))
            test_fail("d1 was at %#lx, outside its code", r->rip);
        check_eq("  its rbx", r->rbx, GPA(DATA_GFN));
        check_eq("  its FPU image is there", r->flags, XEN_X86_FPU_INITIALISED);
    }
    count = data[W_COUNT];
    check_eq("set the running domain's own context back", hvm_setcontext(d, ctx, got), 0);
    if (counts_on(&data[W_COUNT], count))
        printf("d1 counted on after its context went back: %u -> %u\n", count, data[W_COUNT]);
    check_eq("vCPU 1 still offline after the round trip", vcpu_online(d, 1), false);
    destroy(d);
    unmap_memory();
}

/* d2: 64-bit, its first 2 MiB mapped 1:1; its context makes a round trip before it runs. */
static void run_64bit(void)
{
    static struct hvm_hw_cpu c;
    volatile uint64_t *data;
    const struct hvm_hw_cpu *r;
    uint32_t got;
    domid_t d = create(1);

    if (!d || !give_memory(d))
        return;
    got = sizeof(ctx);
    if (!check_eq("get d2", hvm_getcontext(d, ctx, &got), 0))
        return;
    memcpy((void *)local(CODE_GFN), code64, (size_t)(code64_end - code64));
    ((volatile uint64_t *)local(PML4_GFN))[0] = GPA(PDPT_GFN) | 0x3; /* present, writable */
    ((volatile uint64_t *)local(PDPT_GFN))[0] = GPA(PD_GFN) | 0x3;
    ((volatile uint64_t *)local(PD_GFN))[0] = 0x83;                  /* 2 MiB page at 0 */
    data = (volatile uint64_t *)local(DATA_GFN);

    libxc_cpu(&c, GPA(CODE_GFN));
    c.cr0 = CR0_PE | CR0_ET | CR0_PG;
    c.cr4 = CR4_PAE;
    c.cr3 = GPA(PML4_GFN);
    c.msr_efer = EFER_LME | EFER_LMA;
    c.cs_arbytes = 0xa9b;
    c.rax = 0x0a0a0a0a0a0a0a0aull;
    c.rbx = GPA(DATA_GFN);
    c.rsp = GPA(DATA_GFN) + 0xff0;
    c.r8 = 0x0123456789abcdefull;
    c.r15 = 0xfedcba9876543210ull;
    if (!libxc_start(d, 1, got, &c))
        return;
    /* What we get back is what we set, and it loads again unchanged. */
    got = sizeof(ctx);
    if (!check_eq("get d2 after the set", hvm_getcontext(d, ctx, &got), 0))
        return;
    r = find_record(ctx, got, HVM_SAVE_CODE_CPU, 0);
    if (!r) {
        test_fail("no CPU record for d2's vCPU 0 once set");
        return;
    }
    check_eq("d2 rip", r->rip, GPA(CODE_GFN));
    check_eq("d2 cr3", r->cr3, GPA(PML4_GFN));
    check_eq("d2 efer", r->msr_efer, EFER_LME | EFER_LMA);
    check_eq("d2 r15", r->r15, 0xfedcba9876543210ull);
    check_eq("d2 cs attributes", r->cs_arbytes, 0xa9b);
    check_eq("d2's own stream back", hvm_setcontext(d, ctx, got), 0);

    check_eq("unpause d2", domctl_simple(XEN_DOMCTL_unpausedomain, d), 0);
    {
        uint64_t end = now() + 2000 * MS;

        while (data[Q_MAGIC] != MAGIC64 && now() < end)
            xen_yield();
    }
    if (!check_eq("d2 ran", data[Q_MAGIC], MAGIC64))
        return;
    check_eq("d2 rax", data[Q_RAX], 0x0a0a0a0a0a0a0a0aull);
    check_eq("d2 r8", data[Q_R8], 0x0123456789abcdefull);
    check_eq("d2 r15", data[Q_R15], 0xfedcba9876543210ull);
    check_eq("d2 rsp", data[Q_RSP], GPA(DATA_GFN) + 0xff0);
    check_eq("d2 cr0", data[Q_CR0], CR0_PE | CR0_ET | CR0_PG);
    check_eq("d2 cr4", data[Q_CR4], CR4_PAE);
    /* It halted with interrupts off: its only vCPU is offline, so it powered off. */
    if (!ctl_wait_gone(d, &si->vcpu_info[0].time, 2000 * MS))
        test_fail("d2 did not power off");
    unmap_memory();
}

void test_main(void)
{
    si = map_shared_info();
    if (!si)
        return;
    local_base = find_free_gfn() + 16;
    not_on_ourselves();
    run_32bit();
    run_64bit();
}
