// SPDX-License-Identifier: GPL-2.0-only
/*
 * resmond --stop asks the running resmond as every client must: through
 * libresmon's private client (include/resmon/resmond_client.h, linked
 * from libresmon.a), which names the sender to resmond. Apart from the
 * rest of resmond so that only this file sees the client's header.
 */
#include "stop.h"
#include "resmon/resmond_client.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

int ask_resmond_to_stop(const char *sock_path)
{
	struct timespec ts = { 0, 50 * 1000000L };
	int fd = resmond_connect(), i, err;

	if (fd < 0)
		return 1;
	if (resmond_call_on(fd, RESMOND_STOP, 0, 0, 0, NULL) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	/* The daemon unpins, then removes its socket: wait for that. */
	for (i = 0; i < 100 && access(sock_path, F_OK) == 0; i++)
		nanosleep(&ts, NULL);
	close(fd);
	return 0;
}
