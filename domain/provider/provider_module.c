/* provider_module.c — the provider module descriptor: providers: recuperation bases, guest-houses and the sites that redeem vouchers. */
#include "domain/core/module.h"

#include "domain/provider/provider.h"

const gh_module provider_module = {
    .name = "provider",
    .label = "服务机构",
};
