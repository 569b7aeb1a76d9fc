/*
 * ip6_ntop.h - IPv6 addresses as text, fast, exactly as glibc's
 * inet_ntop() writes them.
 *
 * The printers of flows (odp_text_exact, ofp_match_text_exact) write two
 * or three addresses per IPv6 key, and glibc's inet_ntop() formats each
 * group with sprintf (about 1,200 instructions an address).  This writes
 * the same text: groups in lowercase hex without leading zeros, the first
 * longest run of two or more zero groups as "::", and the last 32 bits in
 * dotted decimal for IPv4-compatible (::a.b.c.d) and IPv4-mapped
 * (::ffff:a.b.c.d) addresses.  tests/unit/ip6_ntop.c compares it with
 * inet_ntop().
 */
#ifndef DPKIT_IP6_NTOP_H
#define DPKIT_IP6_NTOP_H

#include <stddef.h>
#include <stdint.h>

#define IP6_NTOP_MAX 46         /* INET6_ADDRSTRLEN, with the NUL */

/* Write the text of 'a' to 'out' (at least IP6_NTOP_MAX - 1 bytes; no NUL
 * is written) and return its length. */
size_t ip6_ntop(const uint8_t a[16], char *out);

#endif
