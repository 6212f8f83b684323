/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every hypervisor read or write of guest memory comes through here, a page
 * at a time, checked against the domain's P2M.
 */
#include <xenon/domain.h>
#include <xenon/guest_access.h>
#include <xenon/lib.h>
#include <xenon/mm.h>
#include <xenon/p2m.h>

void *gfn_to_virt(struct domain *d, gfn_t gfn, bool write)
{
    enum p2m_type t;
    mfn_t mfn;

    if (p2m_lookup(d, gfn, &mfn, &t))
        return NULL;
    if (t == P2M_INVALID || (write && !p2m_is_writable(t)))
        return NULL;
    return mfn_to_virt(mfn);
}

enum gpa_op { GPA_READ, GPA_WRITE, GPA_CLEAR };

/* Move bytes between a host buffer and guest-physical memory, page by page. */
static int gpa_copy(struct domain *d, gpaddr_t gpa, void *buf, size_t len, enum gpa_op op)
{
    uint8_t *host = buf;

    while (len) {
        size_t off = gpa & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
        uint8_t *page;
        mfn_t mfn;
        int ref;

        if (gpa + n < gpa)
            return -EFAULT;
        /* Referenced while we copy: another vCPU may balloon the page out meanwhile. */
        ref = p2m_get_page(d, gpaddr_to_gfn(gpa), op != GPA_READ ? P2M_GET_WRITE : 0, &mfn, NULL);
        if (ref < 0)
            return -EFAULT;
        page = mfn_to_virt(mfn);
        if (op == GPA_READ)
            memcpy(host, page + off, n);
        else if (op == GPA_WRITE)
            memcpy(page + off, host, n);
        else
            memset(page + off, 0, n);
        if (ref == 0)
            mm_put_page(mfn);
        if (host)
            host += n;
        gpa += n;
        len -= n;
    }
    return 0;
}

int copy_to_gpa(struct domain *d, gpaddr_t gpa, const void *src, size_t len)
{
    return gpa_copy(d, gpa, (void *)src, len, GPA_WRITE);
}

int copy_from_gpa(struct domain *d, void *dst, gpaddr_t gpa, size_t len)
{
    return gpa_copy(d, gpa, dst, len, GPA_READ);
}

int clear_gpa(struct domain *d, gpaddr_t gpa, size_t len)
{
    return gpa_copy(d, gpa, NULL, len, GPA_CLEAR);
}

/* Guest-virtual copies: translate each page through the vCPU's paging first. */
static int gva_copy(struct vcpu *v, uint64_t gva, void *dst, const void *src, size_t len)
{
    while (len) {
        size_t off = gva & (PAGE_SIZE - 1), n = MIN(len, PAGE_SIZE - off);
        gpaddr_t gpa;
        int rc = arch_gva_to_gpa(v, gva, src != NULL, &gpa);

        if (rc)
            return -EFAULT;
        rc = src ? copy_to_gpa(v->domain, gpa, src, n) : copy_from_gpa(v->domain, dst, gpa, n);
        if (rc)
            return rc;
        if (src)
            src = (const uint8_t *)src + n;
        else
            dst = (uint8_t *)dst + n;
        gva += n;
        len -= n;
    }
    return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    return gva_copy(v, gva, dst, NULL, len);
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    return gva_copy(v, gva, NULL, src, len);
}
