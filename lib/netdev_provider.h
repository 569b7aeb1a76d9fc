/*
 * netdev_provider.h - what each kind of port implements (netdev.c
 * dispatches through it); private to lib/netdev*.c.
 */
#ifndef DPKIT_NETDEV_PROVIDER_H
#define DPKIT_NETDEV_PROVIDER_H

#include <net/if.h>

#include "netdev.h"

struct netdev_class {
	int (*open)(struct netdev *nd, struct dp_err *err);
	void (*close)(struct netdev *nd);
	int (*rx)(struct netdev *nd, struct dp_batch *b, uint32_t port);
	void (*rx_done)(struct netdev *nd);
	void (*send)(struct netdev *nd, const struct dp_packet *p, uint32_t len);
	void (*flush)(struct netdev *nd);
	void (*stats)(const struct netdev *nd, struct ovs_vport_stats *s);
};

struct netdev {
	const struct netdev_class *cls;
	enum netdev_type type;
	unsigned flags;
	char name[IFNAMSIZ];
	int fd;
	int ifindex;
	int mtu;
	bool vnet;                              /* virtio-net headers */
	struct ovs_vport_stats stats;
	struct dp_packet pkts[DP_BATCH_MAX];    /* rx batch storage */
	unsigned n_rx;                          /* pkts used by the last rx */
	void *priv;                             /* the class's state */
};

extern const struct netdev_class netdev_afpacket_class;
extern const struct netdev_class netdev_tap_class;
extern const struct netdev_class netdev_dummy_class;

#endif
