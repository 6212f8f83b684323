/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console output: hypervisor lines prefixed "(XEN) ", guest lines "(dN) ".
 * Guest-triggered output is line-buffered per domain and rate-limited so a
 * guest cannot monopolise the serial line.
 */
#include <xenon/console.h>
#include <xenon/domain.h>
#include <xenon/event.h>
#include <xenon/keyhandler.h>
#include <xenon/spinlock.h>
#include <xenon/time.h>
#include <xenon/timer.h>
#include <public/xen.h>

/* Whole lines from different pCPUs never interleave; a leaf lock. */
static spinlock_t console_lock = SPINLOCK_INIT;
/* Guests' line buffers (several vCPUs may write at once); taken before console_lock. */
static spinlock_t guest_line_lock = SPINLOCK_INIT;
static enum log_level hyp_level = LOG_INFO;
static enum log_level guest_level = LOG_WARN;

/* Guest-triggered hypervisor messages: a burst of 20, then one per 100 ms. */
#define GUEST_MSG_BURST 20
#define GUEST_MSG_INTERVAL MILLISECS(100)
static unsigned int guest_msg_tokens = GUEST_MSG_BURST;
static uint64_t guest_msg_refill;
static unsigned int guest_msg_dropped;

static int parse_level(const char *s, enum log_level *out)
{
    static const struct { const char *name; enum log_level lvl; } names[] = {
        { "none", LOG_NONE }, { "error", LOG_ERR }, { "warning", LOG_WARN },
        { "info", LOG_INFO }, { "debug", LOG_DEBUG }, { "all", LOG_DEBUG },
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(s, names[i].name)) {
            *out = names[i].lvl;
            return 0;
        }
    }
    return -EINVAL;
}

int console_set_loglvl(const char *hyp, const char *guest)
{
    int r = 0;

    if (hyp && *hyp && parse_level(hyp, &hyp_level))
        r = -EINVAL;
    if (guest && *guest && parse_level(guest, &guest_level))
        r = -EINVAL;
    return r;
}

void console_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            arch_console_putc('\r');
        arch_console_putc(s[i]);
    }
}

/* Emit buf as lines, each with the prefix. */
static void write_prefixed(const char *prefix, const char *buf, size_t len)
{
    size_t start = 0;

    spin_lock(&console_lock);
    for (size_t i = 0; i <= len; i++) {
        if (i == len || buf[i] == '\n') {
            if (i == len && i == start)
                break;
            console_write(prefix, strlen(prefix));
            console_write(buf + start, i - start);
            console_write("\n", 1);
            start = i + 1;
        }
    }
    spin_unlock(&console_lock);
}

static void vprintk_prefixed(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    write_prefixed("(XEN) ", buf, (size_t)n);
}

void printk_level(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    if (level > hyp_level)
        return;
    va_start(ap, fmt);
    vprintk_prefixed(fmt, ap);
    va_end(ap);
}

static bool guest_msg_allowed(void)
{
    uint64_t now = now_ns();

    if (now >= guest_msg_refill) {
        guest_msg_refill = now + GUEST_MSG_INTERVAL;
        if (guest_msg_tokens < GUEST_MSG_BURST)
            guest_msg_tokens++;
    }
    if (!guest_msg_tokens) {
        guest_msg_dropped++;
        return false;
    }
    guest_msg_tokens--;
    return true;
}

void printk_guest(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    if (level > guest_level || !guest_msg_allowed())
        return;
    if (guest_msg_dropped) {
        printk_level(LOG_ERR, "%u guest-triggered messages suppressed", guest_msg_dropped);
        guest_msg_dropped = 0;
    }
    va_start(ap, fmt);
    vprintk_prefixed(fmt, ap);
    va_end(ap);
}

/*
 * Show what d's line buffer holds; end the line or leave it open. A line
 * left open (the hardware domain's shell prompt, its echo of what is typed)
 * is continued without a new prefix.
 */
static void guest_emit_locked(struct domain *d, bool end_line)
{
    char prefix[16];

    if (!d->console_len && !(end_line && d->console_open))
        return;
    snprintf(prefix, sizeof(prefix), "(d%u) ", d->id);
    spin_lock(&console_lock);
    if (!d->console_open)
        console_write(prefix, strlen(prefix));
    console_write(d->console_line, d->console_len);
    if (end_line)
        console_write("\n", 1);
    spin_unlock(&console_lock);
    d->console_open = !end_line;
    d->console_len = 0;
}

static void guest_flush_locked(struct domain *d) { guest_emit_locked(d, true); }

void console_guest_flush(struct domain *d)
{
    spin_lock(&guest_line_lock);
    guest_flush_locked(d);
    spin_unlock(&guest_line_lock);
}

void console_guest_write(struct domain *d, const char *s, size_t len)
{
    spin_lock(&guest_line_lock);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];

        if (c == '\n') {
            if (!d->console_len && !d->console_open)
                d->console_line[d->console_len++] = ' ';
            guest_flush_locked(d);
            continue;
        }
        /*
         * Keep the serial line readable: no control characters from guests,
         * but the hardware domain's terminal escapes (its shell is the console).
         */
        if (((c < 0x20 && c != '\t') || c == 0x7f) && !(c == 0x1b && is_hardware_domain(d)))
            continue;
        d->console_line[d->console_len++] = c;
        if (d->console_len == CONSOLE_LINE_MAX)
            guest_flush_locked(d);
    }
    /* The hardware domain's console is interactive: a prompt shows before its newline. */
    if (is_hardware_domain(d))
        guest_emit_locked(d, false);
    spin_unlock(&guest_line_lock);
}

/*
 * Serial input for the control domain: polled every CONSOLE_POLL_INTERVAL
 * into a ring, and VIRQ_CONSOLE tells the control domain (Linux's hvc0
 * waits for it) that there is some. What the ring cannot hold is dropped.
 */
#define CONSOLE_POLL_INTERVAL MILLISECS(20)
#define INPUT_RING 256
static char input_ring[INPUT_RING];
static unsigned int input_head, input_tail; /* free-running; under input_lock */
static spinlock_t input_lock = SPINLOCK_INIT;
static struct timer input_timer;

static bool input_got; /* under input_lock */

static void input_put(char c)
{
    if (input_head - input_tail < INPUT_RING)
        input_ring[input_head++ % INPUT_RING] = c;
    input_got = true;
}

/* Take what the line has; the hypervisor's debug keys never reach the ring. */
static bool poll_input(void)
{
    bool got;
    int c;

    spin_lock(&input_lock);
    input_got = false;
    while ((c = arch_console_getc()) >= 0)
        keyhandler_input((char)c, input_put);
    got = input_got;
    spin_unlock(&input_lock);
    return got;
}

static void input_timer_fired(void *data)
{
    struct domain *d;

    (void)data;
    if (poll_input() && (d = domain_get(0))) {
        evtchn_send_global_virq(d, VIRQ_CONSOLE);
        domain_put(d);
    }
    timer_set(&input_timer, now_ns() + CONSOLE_POLL_INTERVAL);
}

void console_input_start(void)
{
    timer_init(&input_timer, input_timer_fired, NULL);
    timer_set(&input_timer, now_ns() + CONSOLE_POLL_INTERVAL);
}

size_t console_read(char *buf, size_t len)
{
    size_t n = 0;

    poll_input();
    spin_lock(&input_lock);
    while (n < len && input_tail != input_head)
        buf[n++] = input_ring[input_tail++ % INPUT_RING];
    spin_unlock(&input_lock);
    return n;
}
