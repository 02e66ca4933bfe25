/* Built against the installed libresmon-dev with pkg-config, as a user's program is. */
#include <resmon.h>
#include <stdio.h>

int main(void)
{
	printf("edition: %s\n", resmon_edition());
	return 0;
}
