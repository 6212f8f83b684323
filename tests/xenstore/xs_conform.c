// SPDX-License-Identifier: GPL-2.0-only
/*
 * xs-conform: plays a script of raw xenstore requests against one daemon's
 * unix socket and prints a transcript: every request with its reply, the
 * watch events each connection received, closed connections. Two daemons
 * given the same script must print the same transcript; that is how ours is
 * held to Debian's C xenstored (tests/e2e/xenstore-conformance) and to a
 * transcript recorded from it (tests/xenstore/conformance.expected).
 *
 *   xs-conform SOCKET < SCRIPT > TRANSCRIPT
 *
 * SOCKET may also be a guest's /dev/xen/xenbus (each connection one open).
 *
 * Script lines (# starts a comment):
 *   [~] [cN] [tx=NAME|tx=#NUM] TYPE PAYLOAD... [-> NAME]
 *       a request on connection N (default 1; opened on first use). TYPE is
 *       a message name without XS_ or a number. PAYLOAD is quoted strings,
 *       concatenated, with \0 \n \t \\ \" \xHH escapes; "s"*N repeats one.
 *       tx= sends in a transaction named by an earlier -> NAME, or a literal
 *       id. -> NAME names the reply's first field (a transaction id, a
 *       DIRECTORY_PART generation): the transcript prints <NAME> for it, and
 *       <NAME=OLD> when a DIRECTORY_PART generation equals an earlier
 *       named value. Daemons number transactions and generations their own
 *       way. A leading ~ marks a request whose answer differs between the
 *       daemons on purpose (the script says why): its transcript line
 *       starts with ~, and comparisons leave such lines out.
 *   events cN COUNT   wait up to 3 s for COUNT watch events on N (for
 *                     0: 0.3 s for any); print what has come, in order
 *   close cN          close connection N
 *   raw cN PAYLOAD    send bytes as they are (a malformed header)
 *   closed cN         whether the daemon closed N within 3 s, and what
 *                     came on N before
 *   repeat N REQUEST  REQUEST N times, %d in it counting from 0; one line
 *                     of replies in runs ("997 WRITE, 3 ERROR ENOSPC");
 *                     watch events meanwhile are dropped
 *   pipeline N REQUEST  as repeat, but every request goes before the first
 *                     reply is read (all on one connection)
 * Exit status: 0 when the script ran (whatever the replies), 2 on a script
 * or socket error.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xenon/xs_wire.h>

#define MAX_CONNS 8
#define MAX_NAMES 64
#define MAX_EVENTS 64
#define WAIT_MS 3000 /* for a reply, events, a close */
#define QUIET_MS 300 /* that no event comes */
#define BUF_MAX (XS_PAYLOAD_MAX * 4)

struct event {
    char *data;
    uint32_t len;
};

struct conn {
    int fd;
    struct event events[MAX_EVENTS];
    unsigned nevents;
};

struct name {
    char name[32];
    char value[32];
};

static const char *socket_path;
static struct conn conns[MAX_CONNS + 1];
static struct name names[MAX_NAMES];
static unsigned nnames;
static unsigned lineno;
static uint32_t next_req = 1;

static const char *const type_names[] = {
    [XS_CONTROL] = "CONTROL", [XS_DIRECTORY] = "DIRECTORY", [XS_READ] = "READ",
    [XS_GET_PERMS] = "GET_PERMS", [XS_WATCH] = "WATCH", [XS_UNWATCH] = "UNWATCH",
    [XS_TRANSACTION_START] = "TRANSACTION_START", [XS_TRANSACTION_END] = "TRANSACTION_END",
    [XS_INTRODUCE] = "INTRODUCE", [XS_RELEASE] = "RELEASE",
    [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH", [XS_WRITE] = "WRITE", [XS_MKDIR] = "MKDIR",
    [XS_RM] = "RM", [XS_SET_PERMS] = "SET_PERMS", [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR", [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME", [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESET_WATCHES] = "RESET_WATCHES", [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

static void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "xs-conform: line %u: ", lineno);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void print_type(uint32_t type)
{
    if (type < NTYPES && type_names[type])
        fputs(type_names[type], stdout);
    else
        printf("%u", type);
}

static void print_byte(unsigned char c)
{
    if (c == 0)
        fputs("\\0", stdout);
    else if (c == '"' || c == '\\')
        printf("\\%c", c);
    else if (c == '\n')
        fputs("\\n", stdout);
    else if (isprint(c))
        putchar(c);
    else
        printf("\\x%02x", c);
}

/* Bytes as script strings: runs of 16 or more of one byte as "c"*N. */
static void print_bytes(const char *p, uint32_t len)
{
    bool open = false;

    for (uint32_t i = 0; i < len; i++) {
        uint32_t run = 1;

        while (i + run < len && p[i + run] == p[i])
            run++;
        if (run >= 16) {
            printf(open ? "\" \"" : "\"");
            print_byte((unsigned char)p[i]);
            printf("\"*%u%s", run, i + run < len ? " " : "");
            i += run - 1;
            open = false;
            continue;
        }
        if (!open)
            putchar('"');
        open = true;
        print_byte((unsigned char)p[i]);
    }
    if (open || !len)
        fputs(open ? "\"" : "\"\"", stdout);
}

/* The name bound to @value, binding @name to it first if given. */
static void print_named(const char *value, const char *name, bool compare)
{
    const char *old = NULL;

    for (unsigned i = 0; i < nnames && compare; i++)
        if (!strcmp(names[i].value, value) && (!name || strcmp(names[i].name, name)))
            old = names[i].name;
    if (name) {
        if (nnames == MAX_NAMES)
            die("too many names");
        snprintf(names[nnames].name, sizeof(names[0].name), "%s", name);
        snprintf(names[nnames].value, sizeof(names[0].value), "%s", value);
        nnames++;
        printf(old ? "<%s=%s>" : "<%s>", name, old);
    } else {
        printf("<%s>", old);
    }
}

static const char *named_value(const char *name)
{
    for (unsigned i = nnames; i-- > 0;)
        if (!strcmp(names[i].name, name))
            return names[i].value;
    die("no value named %s", name);
    return NULL;
}

static struct conn *conn_get(unsigned n)
{
    struct conn *c;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;

    if (n < 1 || n > MAX_CONNS)
        die("connection c%u out of range", n);
    c = &conns[n];
    if (c->fd > 0)
        return c;
    if (!stat(socket_path, &st) && S_ISCHR(st.st_mode)) {
        /* A guest's /dev/xen/xenbus: each open is a connection of its own. */
        c->fd = open(socket_path, O_RDWR);
        if (c->fd < 0)
            die("open %s: %s", socket_path, strerror(errno));
        return c;
    }
    c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", socket_path);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        die("connect %s: %s", socket_path, strerror(errno));
    return c;
}

static void drop_events(struct conn *c)
{
    for (unsigned i = 0; i < c->nevents; i++)
        free(c->events[i].data);
    c->nevents = 0;
}

static void conn_close(struct conn *c)
{
    close(c->fd);
    c->fd = 0;
    drop_events(c);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads exactly @len bytes by @deadline: 0, -ETIMEDOUT, or -EPIPE on EOF. */
static int read_full(int fd, void *buf, size_t len, int64_t deadline)
{
    char *p = buf;

    while (len) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int64_t left = deadline - now_ms();
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return -ETIMEDOUT;
        n = read(fd, p, len);
        if (n <= 0)
            return -EPIPE;
        p += n;
        len -= n;
    }
    return 0;
}

/* One message from @c by @deadline into @hdr and @payload (BUF_MAX). */
static int read_msg(struct conn *c, struct xs_msg_hdr *hdr, char *payload, int64_t deadline)
{
    int rc = read_full(c->fd, hdr, sizeof(*hdr), deadline);

    if (rc)
        return rc;
    if (hdr->len > BUF_MAX)
        return -EPROTO;
    return read_full(c->fd, payload, hdr->len, deadline);
}

static void queue_event(struct conn *c, const char *payload, uint32_t len)
{
    struct event *e;

    if (c->nevents == MAX_EVENTS)
        die("more than %d unread watch events", MAX_EVENTS);
    e = &c->events[c->nevents++];
    e->data = malloc(len ? len : 1);
    memcpy(e->data, payload, len);
    e->len = len;
}

/* Parses quoted strings (with *N repeats) from @s into @out; returns the length. */
static uint32_t parse_payload(char **s, char *out)
{
    uint32_t len = 0;

    for (;;) {
        uint32_t start = len;
        char *p = *s + strspn(*s, " \t");

        if (*p != '"')
            break;
        for (p++; *p && *p != '"'; p++) {
            char c = *p;

            if (c == '\\') {
                c = *++p;
                if (c == '0')
                    c = 0;
                else if (c == 'n')
                    c = '\n';
                else if (c == 't')
                    c = '\t';
                else if (c == 'x') {
                    char hex[3] = {p[1], p[1] ? p[2] : 0, 0};

                    if (!isxdigit((unsigned char)hex[0]) || !isxdigit((unsigned char)hex[1]))
                        die("\\x wants two hex digits");
                    c = (char)strtoul(hex, NULL, 16);
                    p += 2;
                } else if (c != '\\' && c != '"')
                    die("unknown escape \\%c", c);
            }
            if (len == BUF_MAX)
                die("payload over %d bytes", BUF_MAX);
            out[len++] = c;
        }
        if (*p != '"')
            die("unterminated string");
        p++;
        if (*p == '*') {
            unsigned long times = strtoul(p + 1, &p, 10);
            uint32_t one = len - start;

            if (times == 0 || start + one * times > BUF_MAX)
                die("bad repeat count");
            for (unsigned long t = 1; t < times; t++, len += one)
                memcpy(out + len, out + start, one);
        }
        *s = p;
    }
    return len;
}

static uint32_t parse_type(const char *word)
{
    char *end;
    unsigned long n = strtoul(word, &end, 10);

    if (*end == 0 && end != word)
        return (uint32_t)n;
    for (uint32_t t = 0; t < NTYPES; t++)
        if (type_names[t] && !strcmp(type_names[t], word))
            return t;
    die("unknown message type %s", word);
    return 0;
}

static unsigned parse_conn(const char *word)
{
    if (word[0] != 'c' || !isdigit((unsigned char)word[1]))
        die("expected a connection cN, got %s", word);
    return (unsigned)atoi(word + 1);
}

/* A request line: "[cN] [tx=NAME|tx=#NUM] TYPE PAYLOAD...". */
struct request {
    unsigned cn;
    const char *tx;
    uint32_t type;
    uint32_t len;
};

/* Parses @text (changed in place) into @r, its payload into @payload. */
static void parse_request(char *text, struct request *r, char *payload)
{
    char *save, *word = strtok_r(text, " \t\n", &save), *rest;

    r->cn = 1;
    r->tx = NULL;
    if (word && word[0] == 'c' && isdigit((unsigned char)word[1])) {
        r->cn = parse_conn(word);
        word = strtok_r(NULL, " \t\n", &save);
    }
    if (word && !strncmp(word, "tx=", 3)) {
        r->tx = word + 3;
        word = strtok_r(NULL, " \t\n", &save);
    }
    if (!word)
        die("no message type");
    r->type = parse_type(word);
    rest = save;
    r->len = parse_payload(&rest, payload);
    if (rest[strspn(rest, " \t\n")])
        die("unexpected text: %s", rest);
}

/* Prints a reply's payload: its first field by name if @bind, or if a
 * DIRECTORY_PART generation already named. */
static void print_reply(const struct xs_msg_hdr *hdr, const char *payload, const char *bind)
{
    size_t first = strnlen(payload, hdr->len);
    bool named = false;

    print_type(hdr->type);
    putchar(' ');
    if (hdr->type != XS_ERROR && first < hdr->len && first > 0 && first < 32) {
        char value[32];

        memcpy(value, payload, first);
        value[first] = 0;
        for (unsigned i = 0; i < nnames && hdr->type == XS_DIRECTORY_PART && !bind; i++)
            named |= !strcmp(names[i].value, value);
        if (bind || named) {
            print_named(value, bind, hdr->type == XS_DIRECTORY_PART);
            print_bytes(payload + first, hdr->len - (uint32_t)first);
            return;
        }
    }
    print_bytes(payload, hdr->len);
}

/* Sends one request on @c: NULL, or what went wrong. */
static const char *send_request(struct conn *c, const struct xs_msg_hdr *hdr, const char *payload)
{
    if (write(c->fd, hdr, sizeof(*hdr)) == sizeof(*hdr) &&
        (!hdr->len || write(c->fd, payload, hdr->len) == (ssize_t)hdr->len))
        return NULL;
    /* A daemon may close before or after reading the rest; a guest's kernel
     * refuses some requests itself (a failed watch: the write fails with the
     * daemon's error), and the connection lives on. */
    if (errno == EPIPE || errno == ECONNRESET)
        return "connection closed";
    return strerror(errno);
}

/* Reads the next reply on @c into @rh and @reply, queueing watch events on the way. */
static const char *await_reply(struct conn *c, struct xs_msg_hdr *rh, char *reply)
{
    int64_t deadline = now_ms() + WAIT_MS;
    int rc;

    while ((rc = read_msg(c, rh, reply, deadline)) == 0 && rh->type == XS_WATCH_EVENT)
        queue_event(c, reply, rh->len);
    if (!rc)
        return NULL;
    return rc == -EPIPE ? "connection closed" : rc == -ETIMEDOUT ? "no reply" : "reply too long";
}

/* Sends one request on @c and reads its reply into @rh and @reply. NULL, or
 * what went wrong: then @c is closed, unless the kernel refused the request. */
static const char *exchange(struct conn *c, const struct xs_msg_hdr *hdr, const char *payload,
                            struct xs_msg_hdr *rh, char *reply)
{
    const char *err = send_request(c, hdr, payload);

    if (err && strcmp(err, "connection closed"))
        return err;
    if (!err)
        err = await_reply(c, rh, reply);
    if (err)
        conn_close(c);
    return err;
}

static uint32_t tx_id(const char *tx)
{
    return tx ? (uint32_t)strtoul(tx[0] == '#' ? tx + 1 : named_value(tx), NULL, 10) : 0;
}

static void do_request(const struct request *r, const char *payload, const char *bind)
{
    struct conn *c = conn_get(r->cn);
    struct xs_msg_hdr hdr = {r->type, next_req++, tx_id(r->tx), r->len};
    static char reply[BUF_MAX];
    struct xs_msg_hdr rh;
    const char *err;

    printf("c%u ", r->cn);
    if (r->tx)
        printf("tx=%s ", r->tx);
    print_type(r->type);
    putchar(' ');
    print_bytes(payload, r->len);
    fputs(" => ", stdout);
    err = exchange(c, &hdr, payload, &rh, reply);
    if (err) {
        printf("(%s)\n", err);
        return;
    }
    print_reply(&rh, reply, bind);
    if (rh.req_id != hdr.req_id)
        printf(" (req_id %u, sent %u)", rh.req_id, hdr.req_id);
    if (rh.tx_id != hdr.tx_id && r->type != XS_TRANSACTION_START)
        printf(" (tx_id %u, sent %u)", rh.tx_id, hdr.tx_id);
    putchar('\n');
}

/* A reply in a repeat's summary: its type, and an error's name. */
static void reply_key(const struct xs_msg_hdr *rh, const char *reply, const char *err,
                      char *key, size_t size)
{
    if (err)
        snprintf(key, size, "(%s)", err);
    else if (rh->type == XS_ERROR)
        snprintf(key, size, "ERROR %.*s", (int)strnlen(reply, rh->len), reply);
    else if (rh->type < NTYPES && type_names[rh->type])
        snprintf(key, size, "%s", type_names[rh->type]);
    else
        snprintf(key, size, "%u", rh->type);
}

/* Replies summed up as runs of equal keys: "997 WRITE, 3 ERROR ENOSPC". */
struct runs {
    unsigned run;
    char key[64];
};

static void runs_add(struct runs *rs, const char *key)
{
    if (rs->run && strcmp(key, rs->key)) {
        printf(" %u %s,", rs->run, rs->key);
        rs->run = 0;
    }
    snprintf(rs->key, sizeof(rs->key), "%s", key);
    rs->run++;
}

static void runs_end(const struct runs *rs)
{
    printf(" %u %s\n", rs->run, rs->key);
}

/* Request @i of a repeat or pipeline: @tmpl with %d as @i. */
static void expand_request(const char *tmpl, unsigned i, struct request *r, char *payload)
{
    static char text[BUF_MAX];
    char *out = text;

    for (const char *t = tmpl; *t && out < text + sizeof(text) - 16; t++)
        if (t[0] == '%' && t[1] == 'd')
            out += sprintf(out, "%u", i), t++;
        else
            *out++ = *t;
    *out = 0;
    parse_request(text, r, payload);
}

/*
 * repeat N REQUEST: REQUEST N times, %d in it the count from 0; prints one
 * line, the replies as runs ("997 WRITE, 3 ERROR ENOSPC"): where a quota
 * starts to bite is the point.
 */
static void do_repeat(unsigned n, const char *tmpl)
{
    static char payload[BUF_MAX], reply[BUF_MAX];
    struct runs rs = {0};
    char key[64];

    printf("repeat %u %.*s =>", n, (int)strcspn(tmpl, "\n"), tmpl);
    for (unsigned i = 0; i < n; i++) {
        struct xs_msg_hdr hdr, rh = {0};
        struct request r;
        const char *err;
        struct conn *c;

        expand_request(tmpl, i, &r, payload);
        hdr = (struct xs_msg_hdr){r.type, next_req++, tx_id(r.tx), r.len};
        c = conn_get(r.cn);
        err = exchange(c, &hdr, payload, &rh, reply);
        reply_key(&rh, reply, err, key, sizeof(key));
        drop_events(c); /* a repeat's point is its replies */
        runs_add(&rs, key);
    }
    runs_end(&rs);
}

/*
 * pipeline N REQUEST: as repeat, but all N requests go before the first
 * reply is read, as from a guest's many xenbus users at once: more than
 * the daemon's reply quota then wait in its ring or socket. A reply that
 * answers another request than the next one is "(out of order)".
 */
static void do_pipeline(unsigned n, const char *tmpl)
{
    static char payload[BUF_MAX], reply[BUF_MAX];
    uint32_t first = next_req;
    struct runs rs = {0};
    struct conn *c = NULL;
    const char *err = NULL;
    char key[64];

    printf("pipeline %u %.*s =>", n, (int)strcspn(tmpl, "\n"), tmpl);
    for (unsigned i = 0; i < n && !err; i++) {
        struct request r;
        struct xs_msg_hdr hdr;

        expand_request(tmpl, i, &r, payload);
        hdr = (struct xs_msg_hdr){r.type, next_req++, tx_id(r.tx), r.len};
        c = conn_get(r.cn);
        err = send_request(c, &hdr, payload);
    }
    for (unsigned i = 0; i < n && c; i++) {
        struct xs_msg_hdr rh = {0};

        err = err ? err : await_reply(c, &rh, reply);
        if (!err && rh.req_id != first + i)
            snprintf(key, sizeof(key), "(out of order)");
        else
            reply_key(&rh, reply, err, key, sizeof(key));
        runs_add(&rs, key);
    }
    if (c)
        drop_events(c);
    runs_end(&rs);
    if (err)
        conn_close(c);
}

static void do_events(unsigned cn, unsigned want)
{
    struct conn *c = conn_get(cn);
    static char payload[BUF_MAX];
    int64_t deadline = now_ms() + (want ? WAIT_MS : QUIET_MS);
    struct xs_msg_hdr hdr;

    while ((!want || c->nevents < want) && read_msg(c, &hdr, payload, deadline) == 0)
        if (hdr.type == XS_WATCH_EVENT)
            queue_event(c, payload, hdr.len);
    printf("c%u events %u:", cn, c->nevents);
    for (unsigned i = 0; i < c->nevents; i++) {
        putchar(' ');
        print_bytes(c->events[i].data, c->events[i].len);
    }
    drop_events(c);
    putchar('\n');
}

static void do_closed(unsigned cn)
{
    struct conn *c = conn_get(cn);
    static char payload[BUF_MAX];
    struct xs_msg_hdr hdr;
    int rc;

    while ((rc = read_msg(c, &hdr, payload, now_ms() + WAIT_MS)) == 0) {
        printf("c%u got ", cn);
        print_type(hdr.type);
        putchar(' ');
        print_bytes(payload, hdr.len);
        putchar('\n');
    }
    printf("c%u %s\n", cn, rc == -ETIMEDOUT ? "still open" : "closed");
    if (rc != -ETIMEDOUT)
        conn_close(c);
}

static bool is_word(const char *line, size_t wl, const char *w)
{
    return wl == strlen(w) && !strncmp(line, w, wl);
}

/* The commands that are not requests: events, close, closed, raw. */
static void run_command(const char *cmd, char *args)
{
    static char payload[BUF_MAX];
    char *save, *cw = strtok_r(args, " \t\n", &save);
    unsigned cn;
    uint32_t len;

    if (!cw)
        die("%s needs a connection", cmd);
    cn = parse_conn(cw);
    if (!strcmp(cmd, "events")) {
        char *count = strtok_r(NULL, " \t\n", &save);

        do_events(cn, count ? (unsigned)atoi(count) : 0);
    } else if (!strcmp(cmd, "close")) {
        conn_close(conn_get(cn));
        printf("c%u close\n", cn);
    } else if (!strcmp(cmd, "closed")) {
        do_closed(cn);
    } else {
        len = parse_payload(&save, payload);
        printf("c%u raw %u bytes\n", cn, len);
        if (write(conn_get(cn)->fd, payload, len) != (ssize_t)len)
            printf("c%u (write failed)\n", cn);
    }
}

static void run_line(char *line)
{
    static const char *const commands[] = {"events", "close", "closed", "raw"};
    static char payload[BUF_MAX];
    struct request req;
    const char *bind = NULL;
    char *arrow = strstr(line, "->"), *save;
    size_t wl;

    if (arrow && !strchr(arrow, '"')) {
        *arrow = 0;
        bind = strtok_r(arrow + 2, " \t\n", &save);
    }
    line += strspn(line, " \t");
    if (*line == '~') {
        line++;
        putchar('~');
    }
    wl = strcspn(line, " \t\n");
    if (!wl || line[0] == '#')
        return;
    if (is_word(line, wl, "repeat") || is_word(line, wl, "pipeline")) {
        bool repeat = line[0] == 'r';
        char *count = strtok_r(line + wl, " \t\n", &save);

        if (!count || atoi(count) <= 0)
            die("%s needs a count", repeat ? "repeat" : "pipeline");
        (repeat ? do_repeat : do_pipeline)((unsigned)atoi(count), save);
        return;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (is_word(line, wl, commands[i])) {
            run_command(commands[i], line + wl);
            return;
        }
    parse_request(line, &req, payload);
    do_request(&req, payload, bind);
}

int main(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: xs-conform SOCKET < SCRIPT\n");
        return 2;
    }
    socket_path = argv[1];
    signal(SIGPIPE, SIG_IGN); /* a daemon closing on us is a transcript line */
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (getline(&line, &cap, stdin) > 0) {
        lineno++;
        run_line(line);
    }
    free(line);
    for (unsigned i = 1; i <= MAX_CONNS; i++)
        if (conns[i].fd > 0)
            conn_close(&conns[i]);
    return 0;
}
