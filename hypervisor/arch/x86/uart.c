/* SPDX-License-Identifier: GPL-2.0-only */
/* 16550 UART on COM1, polled: the hypervisor's console. */
#include <asm/cpu.h>
#include <xenon/console.h>

#define COM1 0x3f8
#define UART_THR 0
#define UART_RBR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

void arch_console_init(void)
{
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, 0x80); /* DLAB: 115200 baud */
    outb(COM1 + UART_DLL, 1);
    outb(COM1 + UART_DLM, 0);
    outb(COM1 + UART_LCR, 0x03); /* 8n1 */
    outb(COM1 + UART_FCR, 0x07); /* FIFOs on, cleared */
    outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void arch_console_putc(char c)
{
    /* Bounded wait: a missing UART must not hang the hypervisor. */
    for (unsigned int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
        cpu_relax();
    outb(COM1 + UART_THR, (uint8_t)c);
}

int arch_console_getc(void)
{
    if (!(inb(COM1 + UART_LSR) & LSR_DR))
        return -1;
    return inb(COM1 + UART_RBR);
}
