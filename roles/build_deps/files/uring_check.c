// SPDX-License-Identifier: GPL-3.0-or-later
// electrode.cluster's io_uring check: receive one UDP datagram on loopback with a multishot
// recvmsg from provided buffers, the io_uring feature Electrode_io's transport is built on
// (kernel >= 6.0, liburing >= 2.3). Prints one line and exits 0 when it works; otherwise says
// which step failed, with the kernel release, and exits 1.
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#define BUF_SIZE 2048
#define BUF_COUNT 4
#define BUF_GROUP 7

static char kernel[65] = "unknown";

static int fail(const char *step, int err)
{
	fprintf(stderr, "io_uring check failed at %s: %s (errno %d, kernel %s)\n", step, strerror(err), err, kernel);
	return 1;
}

int main(void)
{
	static char bufs[BUF_COUNT][BUF_SIZE];
	const char payload[] = "electrode.cluster io_uring check";
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct __kernel_timespec timeout = {.tv_sec = 5};
	struct msghdr msg = {.msg_namelen = sizeof(struct sockaddr_in)};
	socklen_t addr_len = sizeof(addr);
	struct io_uring_recvmsg_out *out;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct utsname uts;
	unsigned int length;
	int ret, rx, tx, more;

	if (uname(&uts) == 0)
		snprintf(kernel, sizeof(kernel), "%s", uts.release);

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret < 0)
		return fail("io_uring_setup", -ret);

	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (rx < 0 || tx < 0)
		return fail("socket", errno);
	if (bind(rx, (struct sockaddr *)&addr, sizeof(addr)) || getsockname(rx, (struct sockaddr *)&addr, &addr_len))
		return fail("bind to 127.0.0.1", errno);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_provide_buffers(sqe, bufs, BUF_SIZE, BUF_COUNT, BUF_GROUP, 0);
	io_uring_submit(&ring);
	ret = io_uring_wait_cqe(&ring, &cqe);
	if (ret < 0)
		return fail("provide buffers", -ret);
	if (cqe->res < 0)
		return fail("provide buffers", -cqe->res);
	io_uring_cqe_seen(&ring, cqe);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recvmsg_multishot(sqe, rx, &msg, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BUF_GROUP;
	io_uring_submit(&ring);

	if (sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&addr, sizeof(addr)) != (ssize_t)sizeof(payload))
		return fail("sendto", errno);

	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &timeout);
	if (ret < 0)
		return fail("waiting for the datagram", -ret);
	if (cqe->res < 0)
		return fail("multishot recvmsg", -cqe->res);
	if (!(cqe->flags & IORING_CQE_F_BUFFER))
		return fail("multishot recvmsg (no provided buffer used)", EINVAL);
	more = !!(cqe->flags & IORING_CQE_F_MORE);
	out = io_uring_recvmsg_validate(bufs[cqe->flags >> IORING_CQE_BUFFER_SHIFT], cqe->res, &msg);
	if (!out)
		return fail("multishot recvmsg (malformed result)", EINVAL);
	length = io_uring_recvmsg_payload_length(out, cqe->res, &msg);
	if (length != sizeof(payload) || memcmp(io_uring_recvmsg_payload(out, &msg), payload, length))
		return fail("multishot recvmsg (wrong payload)", EINVAL);
	if (!more)
		return fail("multishot recvmsg (the kernel ended it after one datagram)", ENOTSUP);
	io_uring_cqe_seen(&ring, cqe);

	printf("io_uring multishot recvmsg works: %u bytes received on kernel %s\n", length, kernel);
	io_uring_queue_exit(&ring);
	return 0;
}
