/* cli/modules.c — the command tables of the modules that have no command
 * of their own yet. */
#include "cli/cli.h"

const cli_verb cli_org[] = {{0}};
const cli_verb cli_voucher[] = {{0}};
const cli_verb cli_aid[] = {{0}};
const cli_verb cli_mutual_aid[] = {{0}};
