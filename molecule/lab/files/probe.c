// SPDX-License-Identifier: GPL-2.0
// Test programs for the lab scenario.
//  xdp: answers UDP datagrams to port 12346 from XDP itself (swaps the MAC, IP and UDP addresses
//       and returns XDP_TX); passes everything else. A reply proves native XDP_TX works between
//       two lab nodes. Swapping addresses leaves the IP checksum valid; the UDP checksum is
//       cleared (optional over IPv4), since a sender on a veth leaves it to be completed by
//       offload, which an XDP_TX frame never gets.
//  tc:  an egress classifier that lets every packet through.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>

#define SEC(name) __attribute__((section(name), used))
#define REFLECT_PORT 12346

SEC("xdp") int xdp_reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp = data + sizeof(*eth) + sizeof(*ip);
	unsigned char mac[ETH_ALEN];
	__u32 addr;
	__u16 port;

	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != __builtin_bswap16(ETH_P_IP) || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	if (udp->dest != __builtin_bswap16(REFLECT_PORT))
		return XDP_PASS;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	addr = ip->daddr;
	ip->daddr = ip->saddr;
	ip->saddr = addr;
	port = udp->dest;
	udp->dest = udp->source;
	udp->source = port;
	udp->check = 0;
	return XDP_TX;
}

SEC("tc") int tc_pass(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
