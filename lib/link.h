/*
 * link.h - network interfaces by name: index, up/down, MTU.
 *
 * The datapath's ports open existing interfaces (veth ends, taps) and
 * bring up the taps they create; these helpers ask rtnetlink through
 * libnl-route-3.  Each call opens its own short-lived socket: they are for
 * control operations (port add/remove), never for the packet path.
 */
#ifndef DPKIT_LINK_H
#define DPKIT_LINK_H

#include <stdbool.h>

#include "err.h"

/* Interface index of 'name': > 0, or -ENODEV. */
int link_ifindex(const char *name, struct dp_err *err);
/* Current MTU of 'name', or a negative errno. */
int link_mtu(const char *name, struct dp_err *err);
/* Bring 'name' up or down.  Returns 0 or a negative errno. */
int link_set_up(const char *name, bool up, struct dp_err *err);
/* Is 'name' administratively up?  1, 0, or a negative errno. */
int link_is_up(const char *name, struct dp_err *err);

#endif
