/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event-channel upcall vector: save the registers a C call may clobber
 * and run the 2-level dispatcher (lib/evtchn.c). The CPU aligned RSP to 16
 * before its 5-word frame; nine pushes keep the call aligned.
 */
    .text
    .code64
    .balign 16
    .globl evtchn_upcall_entry
evtchn_upcall_entry:
    push    %rax
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    cld
    call    evtchn_upcall
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rax
    iretq

    .section .note.GNU-stack, "", @progbits
