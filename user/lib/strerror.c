// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Errno to message, per call. The kernel reuses a handful of errnos with
 * call-specific meanings (Documentation/userspace-api/resmon.rst, "Return codes"), so strerror() alone
 * would tell a user "Too many open files in system" when the truth is
 * "this process is already monitored".
 */
#include "resmon.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Lifting quotas (reset, or deregister of a capped process) needs CAP_SYS_RESOURCE. */
#define NOT_MANAGE "permission denied: you may not manage this process"
#define NOT_MANAGE_OR_LIFT \
	"permission denied: you may not manage this process, or its quotas are set " \
	"and lifting them needs CAP_SYS_RESOURCE"

struct message {
	enum resmon_op op;
	int err;
	const char *text;
};

static const struct message messages[] = {
	{ RESMON_OP_REGISTER, EINVAL, "invalid process id" },
	{ RESMON_OP_REGISTER, ESRCH, "no such live process" },
	{ RESMON_OP_REGISTER, EPERM, NOT_MANAGE },
	{ RESMON_OP_REGISTER, ENFILE, "process is already monitored" },
	{ RESMON_OP_REGISTER, ENOMEM, "kernel out of memory" },

	{ RESMON_OP_FETCH, EINVAL, "no such live process, or not monitored" },
	{ RESMON_OP_FETCH, EPERM, "permission denied: you may not read this process" },

	{ RESMON_OP_DEREGISTER, EINVAL, "invalid process id" },
	{ RESMON_OP_DEREGISTER, ESRCH, "no such live process, or not monitored" },
	{ RESMON_OP_DEREGISTER, EPERM, NOT_MANAGE_OR_LIFT },

	{ RESMON_OP_CAP, ESRCH, "no such live process" },
	{ RESMON_OP_CAP, EPERM, NOT_MANAGE },
	{ RESMON_OP_CAP, EINVAL, "process is not monitored, or a quota is out of range" },
	{ RESMON_OP_CAP, ENFILE, "quotas already set; reset them first" },

	{ RESMON_OP_RESET, ESRCH, "no such live process" },
	{ RESMON_OP_RESET, EPERM, NOT_MANAGE_OR_LIFT },
	{ RESMON_OP_RESET, EINVAL, "process is not monitored" },

	{ RESMON_OP_LIST, ENOENT, "kernel has no resmon support (no /proc/resmon)" },
	{ RESMON_OP_LIST, EINVAL, "unexpected line in /proc/resmon" },

	{ RESMON_OP_WAIT, EINVAL, "no such live process, or not monitored" },
	{ RESMON_OP_WAIT, EPERM, "permission denied: you may not read this process" },
	{ RESMON_OP_WAIT, EIO, "resmond went away before the process ended" },

	{ RESMON_OP_JOB, EBUSY, "process is already monitored (in a job or registered)" },
	{ RESMON_OP_JOB, EPERM, NOT_MANAGE },
	{ RESMON_OP_JOB, ESRCH, "no such live process" },
	{ RESMON_OP_JOB, EINVAL, "invalid limits or flags, or (open) the process is in no job" },
	{ RESMON_OP_JOB, E2BIG, "limits struct has fields this resmon does not know" },

	{ RESMON_OP_JOB_LIMITS, EPERM,
	  "permission denied: raising or removing a limit needs CAP_SYS_RESOURCE" },
	{ RESMON_OP_JOB_LIMITS, EINVAL, "invalid limits" },
};

const char *resmon_strerror(enum resmon_op op, int err)
{
	size_t i;

	/*
	 * The same for every call: neither edition answers. Say which one is
	 * missing and how to get it: a kernel with BTF can run the eBPF edition,
	 * so there resmond is what is missing.
	 */
	if (err == ENOSYS)
		return access("/sys/kernel/btf/vmlinux", F_OK) == 0 ?
		       "resmon is not available: resmond is not running (systemctl start resmond)" :
		       "resmon is not available: this kernel has neither resmon nor the BTF resmond needs";
	for (i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (messages[i].op == op && messages[i].err == err)
			return messages[i].text;
	return strerror(err);
}

const char *resmon_op_name(enum resmon_op op)
{
	switch (op) {
	case RESMON_OP_HELLO:		return "hello";
	case RESMON_OP_REGISTER:	return "register";
	case RESMON_OP_FETCH:		return "fetch";
	case RESMON_OP_DEREGISTER:	return "deregister";
	case RESMON_OP_CAP:		return "cap";
	case RESMON_OP_RESET:		return "reset";
	case RESMON_OP_LIST:		return "list";
	case RESMON_OP_WAIT:		return "wait";
	case RESMON_OP_JOB:		return "job";
	case RESMON_OP_JOB_LIMITS:	return "limit";
	}
	return "?";
}
