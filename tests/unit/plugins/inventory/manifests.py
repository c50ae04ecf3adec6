# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Synthetic CloudLab manifests (RSpec v3) of several shapes, written for these tests."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rspec xmlns="http://www.geni.net/resources/rspec/3" '
    'xmlns:emulab="http://www.protogeni.net/resources/rspec/ext/emulab/1" type="manifest">\n'
)


def node(number, users=("alice", "bob"), mac="auto", ip="auto", hardware="xl170", extra_ifaces=()):
    """One <node>: nodeN with an experiment interface nodeN:eth1 on 10.10.1.0/24."""
    mac = "02a0c90001%02x" % (number + 1) if mac == "auto" else mac
    ip = "10.10.1.%d" % (number + 1) if ip == "auto" else ip
    mac_attr = ' mac_address="%s"' % mac if mac else ""
    ip_elem = '<ip address="%s" type="ipv4" netmask="255.255.255.0"/>' % ip if ip else ""
    ifaces = ['<interface client_id="node%d:eth1"%s>%s</interface>' % (number, mac_attr, ip_elem)]
    for name, other_mac, other_ip in extra_ifaces:
        ifaces.append(
            '<interface client_id="node%d:%s" mac_address="%s"><ip address="%s" type="ipv4" netmask="255.255.255.0"/></interface>'
            % (number, name, other_mac, other_ip)
        )
    logins = "".join(
        '<login authentication="ssh-keys" hostname="hp%03d.example.cloudlab.us" port="%d" username="%s"/>'
        % (number + 1, 22 if user != "carol" else 2222, user)
        for user in users
    )
    return (
        '<node client_id="node%d" exclusive="true">'
        '<sliver_type name="raw-pc"/><hardware_type name="%s"/>%s'
        "<services>%s</services>"
        '<emulab:vnode name="hp%03d" hardware_type="%s"/>'
        '<host name="node%d.exp.example.cloudlab.us" ipv4="198.51.100.%d"/>'
        "<unknown-extension><anything/></unknown-extension>"
        "</node>\n" % (number, hardware, "".join(ifaces), logins, number + 1, hardware, number, 11 + number)
    )


def link(name, members):
    refs = "".join('<interface_ref client_id="%s"/>' % m for m in members)
    return '<link client_id="%s">%s<link_type name="lan"/></link>\n' % (name, refs)


def manifest(nodes, links):
    return HEAD + "".join(nodes) + "".join(links) + "</rspec>\n"


def lan(count, **node_args):
    """count nodes on one LAN, link-1."""
    return manifest(
        [node(i, **node_args) for i in range(count)],
        [link("link-1", ["node%d:eth1" % i for i in range(count)])],
    )


def two_links(count):
    """count nodes, each on link-1 (10.10.1.0/24) and on link-2 (10.10.2.0/24, eth2)."""
    nodes = [
        node(i, extra_ifaces=[("eth2", "02a0c90002%02x" % (i + 1), "10.10.2.%d" % (i + 1))]) for i in range(count)
    ]
    return manifest(
        nodes,
        [link("link-1", ["node%d:eth1" % i for i in range(count)]), link("link-2", ["node%d:eth2" % i for i in range(count)])],
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rspec [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
    '<rspec xmlns="http://www.geni.net/resources/rspec/3"><node client_id="&b;"/></rspec>\n'
)
