/* link.c - interface lookups through libnl-route-3; see link.h. */
#include <errno.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "link.h"

/* The interface 'name' from the kernel (caller puts it), or an error. */
static int get(const char *name, struct nl_sock **sk, struct rtnl_link **l,
	       struct dp_err *err)
{
	int r;

	*l = NULL;
	*sk = nl_socket_alloc();
	if (!*sk)
		return dp_err_set(err, ENOMEM, "out of memory");
	r = nl_connect(*sk, NETLINK_ROUTE);
	if (r < 0) {
		nl_socket_free(*sk);
		return dp_err_set(err, EIO, "rtnetlink: %s", nl_geterror(r));
	}
	r = rtnl_link_get_kernel(*sk, 0, name, l);
	if (r < 0) {
		nl_socket_free(*sk);
		return dp_err_set(err, ENODEV, "%s: no such interface", name);
	}
	return 0;
}

static void put(struct nl_sock *sk, struct rtnl_link *l)
{
	rtnl_link_put(l);
	nl_socket_free(sk);
}

int link_ifindex(const char *name, struct dp_err *err)
{
	struct nl_sock *sk;
	struct rtnl_link *l;
	int r = get(name, &sk, &l, err);

	if (r < 0)
		return r;
	r = rtnl_link_get_ifindex(l);
	put(sk, l);
	return r > 0 ? r : dp_err_set(err, ENODEV, "%s: no such interface", name);
}

int link_mtu(const char *name, struct dp_err *err)
{
	struct nl_sock *sk;
	struct rtnl_link *l;
	int r = get(name, &sk, &l, err);

	if (r < 0)
		return r;
	r = (int)rtnl_link_get_mtu(l);
	put(sk, l);
	return r;
}

int link_is_up(const char *name, struct dp_err *err)
{
	struct nl_sock *sk;
	struct rtnl_link *l;
	int r = get(name, &sk, &l, err);

	if (r < 0)
		return r;
	r = !!(rtnl_link_get_flags(l) & IFF_UP);
	put(sk, l);
	return r;
}

int link_set_up(const char *name, bool up, struct dp_err *err)
{
	struct rtnl_link *l, *change;
	struct nl_sock *sk;
	int r = get(name, &sk, &l, err);

	if (r < 0)
		return r;
	change = rtnl_link_alloc();
	if (!change) {
		put(sk, l);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	r = rtnl_link_change(sk, l, change, 0);
	rtnl_link_put(change);
	put(sk, l);
	if (r < 0)
		return dp_err_set(err, EPERM, "%s: cannot set %s: %s", name,
				  up ? "up" : "down", nl_geterror(r));
	return 0;
}
