# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""UDP probe for the lab scenario, bounded in count and time.

  udp_probe.py serve PORT SECONDS   echo datagrams on PORT for SECONDS, then exit
  udp_probe.py ask ADDRESS PORT     send 3 datagrams, exit 0 at the first exact echo, else 1
"""
import socket
import sys
import time


def serve(port, seconds):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", port))
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 0
        sock.settimeout(left)
        try:
            data, peer = sock.recvfrom(2048)
        except socket.timeout:
            return 0
        sock.sendto(data, peer)


def ask(address, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(1.0)
    for attempt in range(3):
        payload = ("electrode-lab probe %d %f" % (attempt, time.time())).encode()
        sock.sendto(payload, (address, port))
        try:
            data, peer = sock.recvfrom(2048)
        except socket.timeout:
            continue
        if data == payload and peer == (address, port):
            print("reply from %s:%d" % peer)
            return 0
    print("no reply from %s:%d" % (address, port))
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        sys.exit(serve(int(sys.argv[2]), float(sys.argv[3])))
    sys.exit(ask(sys.argv[2], int(sys.argv[3])))
