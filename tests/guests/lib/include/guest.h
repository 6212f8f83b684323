/* SPDX-License-Identifier: GPL-2.0-only */
/* Micro-guest runtime: everything a test's main.c needs. */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/errno.h>
#include <public/hvm/start_info.h>
#include "hypercall.h"
#include "x86.h"

#define noreturn __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Provided by each test. */
void test_main(void);
extern const char test_name[];

/* The PVH start info we were booted with (identity-mapped). */
extern const struct hvm_start_info *start_info;
/* Base of the Xen CPUID leaves (0x40000x00), 0 if none was found. */
extern uint32_t xen_cpuid_base;

/* Results: failures accumulate and the first reason is reported. */
enum test_result { RESULT_SUCCESS, RESULT_SKIP, RESULT_ERROR, RESULT_FAILURE };

void test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report the result now and shut the domain down. */
noreturn void test_exit(void);
noreturn void test_abort(enum test_result r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool test_failed(void);

/* Fail unless got == want; returns whether it matched. */
#define check_eq(what, got, want) \
    check_eq_((what), (int64_t)(got), (int64_t)(want))
bool check_eq_(const char *what, int64_t got, int64_t want);

/* Console: printf goes to console_io (and port 0xe9 in debug builds). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void console_write(const char *buf, size_t len);

/* Exceptions: a hook returning true resumes at regs->rip. */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};
typedef bool (*trap_hook_t)(struct cpu_regs *regs);
void trap_set_hook(unsigned int vector, trap_hook_t hook);
/* An interrupt gate for vector (32-255) to an assembly entry; idt_load() on each vCPU. */
void idt_set_gate(unsigned int vector, void (*entry)(void));
void idt_load(void);

/* Entry-time state captured by head.S before it changed anything. */
extern uint32_t entry_cr0, entry_cr4, entry_eflags;
extern uint16_t entry_cs, entry_ds;

/* Freestanding string helpers (hypervisor/common/string.c). */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* The start-info memory map (NULL / 0 entries if absent). */
const struct hvm_memmap_table_entry *memmap_entries(uint32_t *nr);
/* A GFN above RAM that nothing occupies. */
uint64_t find_free_gfn(void);
/* Map shared_info at a free GFN (once); NULL and a failure on error. */
struct shared_info *map_shared_info(void);

/* Value of "name=N" (decimal) on the guest's command line, or def. */
uint64_t guest_arg(const char *name, uint64_t def);
/* System time (ns) from a vcpu_time_info, per the pvclock version protocol. */
struct vcpu_time_info;
uint64_t pvclock_read(const volatile struct vcpu_time_info *t);
/* VCPUOP_get_runstate_info for one of our vCPUs; false (and a failure) on error. */
struct vcpu_runstate_info;
bool runstate_get(unsigned int vcpu, struct vcpu_runstate_info *r);

/* Our vCPU id, from the Xen HVM CPUID leaf. */
unsigned int vcpu_self_id(void);
/* Start vCPU id in 64-bit mode on our page tables at entry (which never returns). */
long vcpu_start_64(unsigned int id, void (*entry)(void), void *stack_top);

/* Page helpers for tests that need scratch pages. */
#define PAGE_SIZE 4096u
#define PAGE_ALIGNED __attribute__((aligned(PAGE_SIZE)))

/* Each test's main.c defines its name (passed by CMake). */
#ifdef TEST_NAME
__attribute__((weak)) const char test_name[] = TEST_NAME;
#endif

#endif
