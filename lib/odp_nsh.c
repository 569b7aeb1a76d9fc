/*
 * odp_nsh.c - the kernel's checks of an OVS_KEY_ATTR_NSH nest
 * (nsh_key_put_from_nlattr), for a flow key, a mask or push_nsh().
 *
 * dpkit's struct dp_key has no NSH fields, so an NSH flow is refused
 * (EOPNOTSUPP) after these checks; they still run first so that a nest
 * the kernel refuses is refused here with the kernel's reason.  push_nsh()
 * needs no key field and is checked in full.
 */
#include <errno.h>

#include "odp_kernel.h"

int odp_nsh_check(const struct nlattr *nsh, bool is_mask, bool is_push,
		  const char *where, struct dp_err *err)
{
	bool base = false, md1 = false, md2 = false;
	const struct nlattr *s;
	uint8_t mdtype = 0;
	int rem;

	ODP_FOR_EACH(s, na_data(nsh), na_len(nsh), rem) {
		unsigned type = na_type(s);
		int len = (int)na_len(s);
		int want = type == OVS_NSH_KEY_ATTR_BASE ? 8 :
			   type == OVS_NSH_KEY_ATTR_MD1 ? 16 : 0;

		if (type > OVS_NSH_KEY_ATTR_MAX)
			return odp_fail(err, EINVAL, where,
					"nsh attr %d is out of range max %d",
					(int)type, OVS_NSH_KEY_ATTR_MAX);
		if (type != OVS_NSH_KEY_ATTR_MD2 && len != want)
			return odp_fail(err, EINVAL, where,
					"nsh attr %d has unexpected len %d expected %d",
					(int)type, len, want);
		switch (type) {
		case OVS_NSH_KEY_ATTR_BASE:
			base = true;
			mdtype = ((const uint8_t *)na_data(s))[2];
			break;
		case OVS_NSH_KEY_ATTR_MD1:
			md1 = true;
			break;
		case OVS_NSH_KEY_ATTR_MD2:
			/* The kernel refuses this without a log message. */
			if (!is_push)
				return odp_fail(err, EINVAL, where,
						"MD type 2 context can only be pushed");
			md2 = true;
			if (len > ODP_NSH_CTX_MAX || len <= 0)
				return odp_fail(err, EINVAL, where,
						"Invalid MD length %d for MD type %d",
						len, mdtype);
			break;
		default:
			return odp_fail(err, EINVAL, where,
					"Unknown nsh attribute %d", (int)type);
		}
	}
	if (rem > 0)
		return odp_fail(err, EINVAL, where,
				"nsh attribute has %d unknown bytes.", rem);
	if (md1 && md2)
		return odp_fail(err, EINVAL, where,
				"invalid nsh attribute: md1 and md2 are exclusive.");
	if (is_mask)
		return 0;
	if ((md1 && mdtype != 1) || (md2 && mdtype != 2))
		return odp_fail(err, EINVAL, where,
				"nsh attribute has unmatched MD type %d.", mdtype);
	if (is_push && (!base || (!md1 && !md2)))
		return odp_fail(err, EINVAL, where,
				"push_nsh: missing base or metadata attributes");
	return 0;
}
