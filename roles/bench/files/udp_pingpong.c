// The network floor of a bench experiment: UDP round trips between a client node and a replica
// node on the experiment interface, with the size of the protocol's messages, nothing else on the
// path (no replication, no RPC library). Part of electrode.cluster's bench role, built on each
// node by roles/bench/tasks/floor.yml.
//
//   udp_pingpong serve ADDRESS PORT SECONDS
//       Echo every datagram back to its sender, from ADDRESS:PORT, until a datagram "stop"
//       arrives or SECONDS pass (so that a lost controller leaves nothing running).
//   udp_pingpong ping ADDRESS PORT BYTES ROUND_TRIPS WARMUP
//       WARMUP round trips unmeasured, then ROUND_TRIPS measured ones, one at a time, each a
//       datagram of BYTES bytes carrying its sequence number; prints one JSON object:
//       {"bytes": B, "round_trips": N, "lost": L, "rtt_ns": [...]} (a round trip whose answer does
//       not come within 1 s is sent again with a new number; "lost" counts those of the measured
//       ones).
//   udp_pingpong stop ADDRESS PORT
//       Send "stop" to a server (three times, a few milliseconds apart).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BYTES 65507

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int address(const char *host, const char *port, struct sockaddr_in *out)
{
	char *end;
	long number = strtol(port, &end, 10);

	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	if (*end || number < 1 || number > 65535 || inet_pton(AF_INET, host, &out->sin_addr) != 1) {
		fprintf(stderr, "udp_pingpong: '%s:%s' is not an IPv4 address and port\n", host, port);
		return -1;
	}
	out->sin_port = htons((uint16_t)number);
	return 0;
}

static long number_arg(const char *text, long low, long high, const char *what)
{
	char *end;
	long value = strtol(text, &end, 10);

	if (*end || value < low || value > high) {
		fprintf(stderr, "udp_pingpong: %s must be a number from %ld to %ld, not '%s'\n", what, low, high, text);
		exit(2);
	}
	return value;
}

static int serve(const struct sockaddr_in *at, long seconds)
{
	static char buffer[MAX_BYTES];
	int sock = socket(AF_INET, SOCK_DGRAM, 0);
	int one = 1;
	uint64_t until = now_ns() + (uint64_t)seconds * 1000000000ull;

	setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(sock, (const struct sockaddr *)at, sizeof(*at)) != 0) {
		fprintf(stderr, "udp_pingpong: cannot bind: %s\n", strerror(errno));
		return 1;
	}
	// Said once bound: the controller starts the clients after this line.
	printf("{\"listening\": true}\n");
	fflush(stdout);
	for (;;) {
		struct pollfd wait = {.fd = sock, .events = POLLIN};
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		uint64_t now = now_ns();
		ssize_t n;

		if (now >= until)
			return 0;
		if (poll(&wait, 1, (int)((until - now) / 1000000 + 1)) <= 0)
			continue;
		n = recvfrom(sock, buffer, sizeof(buffer), 0, (struct sockaddr *)&from, &fromlen);
		if (n == 4 && memcmp(buffer, "stop", 4) == 0)
			return 0;
		if (n > 0)
			sendto(sock, buffer, (size_t)n, 0, (struct sockaddr *)&from, fromlen);
	}
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int ping(const struct sockaddr_in *to, long bytes, long round_trips, long warmup)
{
	static char out[MAX_BYTES], in[MAX_BYTES];
	uint64_t *rtt = calloc((size_t)round_trips, sizeof(uint64_t));
	uint64_t sequence = 0;
	long done = 0, lost = 0, unanswered = 0;
	int sock = socket(AF_INET, SOCK_DGRAM, 0);

	if (!rtt || sock < 0 || connect(sock, (const struct sockaddr *)to, sizeof(*to)) != 0) {
		fprintf(stderr, "udp_pingpong: cannot reach the server: %s\n", strerror(errno));
		return 1;
	}
	memset(out, 'x', (size_t)bytes);
	while (done < round_trips) {
		uint64_t sent, answer = 0;
		int answered = 0;

		sequence++;
		memcpy(out, &sequence, sizeof(sequence));
		sent = now_ns();
		if (send(sock, out, (size_t)bytes, 0) != bytes) {
			fprintf(stderr, "udp_pingpong: send failed: %s\n", strerror(errno));
			return 1;
		}
		while (!answered) {
			struct pollfd wait = {.fd = sock, .events = POLLIN};
			uint64_t waited = now_ns() - sent;

			if (waited >= 1000000000ull || poll(&wait, 1, (int)((1000000000ull - waited) / 1000000 + 1)) <= 0)
				break;
			// An answer to an earlier, late datagram is not this round trip's.
			if (recv(sock, in, sizeof(in), 0) == bytes && memcmp(in, &sequence, sizeof(sequence)) == 0) {
				answer = now_ns();
				answered = 1;
			}
		}
		if (!answered) {
			// The warm-up's first datagrams may reach a server not bound yet: only measured
			// round trips count as lost.
			if (warmup == 0)
				lost++;
			if (++unanswered > 100 + round_trips / 10) {
				fprintf(stderr, "udp_pingpong: %ld datagrams not answered: the server does not answer\n", unanswered);
				return 1;
			}
			continue;
		}
		if (warmup > 0)
			warmup--;
		else
			rtt[done++] = answer - sent;
	}
	qsort(rtt, (size_t)round_trips, sizeof(uint64_t), compare_u64);
	printf("{\"bytes\": %ld, \"round_trips\": %ld, \"lost\": %ld, \"rtt_ns\": [", bytes, round_trips, lost);
	for (long i = 0; i < round_trips; i++)
		printf("%s%llu", i ? ", " : "", (unsigned long long)rtt[i]);
	printf("]}\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in at;

	if (argc == 5 && strcmp(argv[1], "serve") == 0) {
		if (address(argv[2], argv[3], &at) != 0)
			return 2;
		return serve(&at, number_arg(argv[4], 1, 86400, "SECONDS"));
	}
	if (argc == 7 && strcmp(argv[1], "ping") == 0) {
		if (address(argv[2], argv[3], &at) != 0)
			return 2;
		return ping(&at, number_arg(argv[4], (long)sizeof(uint64_t), MAX_BYTES, "BYTES"),
			    number_arg(argv[5], 1, 10000000, "ROUND_TRIPS"), number_arg(argv[6], 0, 10000000, "WARMUP"));
	}
	if (argc == 4 && strcmp(argv[1], "stop") == 0) {
		int sock = socket(AF_INET, SOCK_DGRAM, 0);

		if (address(argv[2], argv[3], &at) != 0)
			return 2;
		for (int i = 0; i < 3; i++) {
			sendto(sock, "stop", 4, 0, (struct sockaddr *)&at, sizeof(at));
			usleep(5000);
		}
		return 0;
	}
	fprintf(stderr, "usage: udp_pingpong serve ADDRESS PORT SECONDS\n"
			"       udp_pingpong ping ADDRESS PORT BYTES ROUND_TRIPS WARMUP\n"
			"       udp_pingpong stop ADDRESS PORT\n");
	return 2;
}
