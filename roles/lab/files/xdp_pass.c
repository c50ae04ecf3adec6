// SPDX-License-Identifier: GPL-2.0
// Lets XDP_TX work in the lab: a veth delivers XDP frames to its peer only when the peer runs
// an XDP program too. This one passes every frame up the stack unchanged.
#include <linux/bpf.h>

__attribute__((section("xdp"), used)) int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
