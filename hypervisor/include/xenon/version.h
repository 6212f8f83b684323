/* SPDX-License-Identifier: GPL-2.0-only */
/* The Xen interface version Xenon implements, as guests see it. */
#ifndef XENON_VERSION_H
#define XENON_VERSION_H

#define XENON_XEN_MAJOR 4
#define XENON_XEN_MINOR 17
#define XENON_EXTRAVERSION ".0-xenon"
#define XENON_VERSION_STRING "0.1"

#endif
