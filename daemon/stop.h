/* SPDX-License-Identifier: GPL-2.0-only */
/* resmond --stop's request (stop.c): its own header, so no other file sees libresmon's. */
#ifndef RESMOND_STOP_H
#define RESMOND_STOP_H

/*
 * Ask the resmond on @sock_path to stop, as a client: 0 once it stopped and
 * removed its socket (5 s at most), 1 if none answers, -1 with errno if it
 * refused.
 */
int ask_resmond_to_stop(const char *sock_path);

#endif
