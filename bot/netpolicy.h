/* netpolicy.h - which network addresses a guild's input may make the host reach, and
 * how URLs that may carry secrets are shown. Pure functions (no I/O, no state):
 * safe on any thread. Used by the feed fetcher (schedules/feed.c) for every hop. */
#ifndef COHORT_NETPOLICY_H
#define COHORT_NETPOLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* True only for globally routable unicast addresses: false for loopback, RFC 1918,
 * CGNAT 100.64/10, link-local (169.254/16, fe80::/10), ULA fc00::/7, multicast,
 * unspecified, broadcast, 0/8, reserved 240/4, benchmarking/documentation ranges,
 * and for IPv4-mapped / -compatible / NAT64 / 6to4 forms of any of those. */
bool net_addr_public(const struct sockaddr *sa);

/* True when "host:port" is exactly one of the operator's allow-list entries
 * (host compared case-insensitively; IPv6 literals written "[::1]:8080"). */
bool net_endpoint_listed(const char *const *allow, size_t nallow, const char *host, long port);

/* Copies url for logs and Discord with its secrets removed: userinfo dropped, the
 * query and fragment replaced by "?…", and path segments that look like secrets
 * (Google's "private-…", long random tokens) replaced by "…". Always NUL-terminates. */
void net_redact_url(const char *url, char *out, size_t cap);

#endif
