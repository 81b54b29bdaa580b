/* member_demo.c — demo members and join requests across the demo unions,
 * including new-employment-form workers who joined online. */
#include "domain/core/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/date.h"
#include "domain/auth/auth.h"
#include "domain/auth/user.h"
#include "domain/core/module.h"
#include "domain/org/org.h"
#include "domain/member/member.h"
#include "domain/member/joinreq.h"

/* Members and join requests: a few dozen people across the demo unions. */
int member_demo(gh_ctx *x, const gh_demo_env *d, gh_err *e)
{
    FILE *out = d->out;
    (void)out;
    static const struct {
        const char *org, *region, *form, *employer;
        int n;
    } groups[] = {
        {"zijin", "320102", "employee", "南京紫金软件股份有限公司", 8},
        {"huajian", "320115", "employee", "江苏华建建设集团有限公司", 6},
        {"huajian_plateau", "320115", "employee", "江苏华建建设集团有限公司", 3},
        {"jn_newjob", "320115", "food_delivery", "美团", 4},
        {"jn_newjob", "320115", "courier", "顺丰速运", 3},
        {"pingjiang", "320508", "employee", "苏州平江路文旅发展有限公司", 5},
        {"hongda", "640104", "truck_driver", "银川宏达物流有限公司", 4},
        {"xq_riders", "640104", "food_delivery", "饿了么", 4},
        {"saishang", "640100", "employee", "宁夏塞上乳业有限公司", 5},
    };
    int n = 0, rc = 0;
    for (size_t g = 0; g < sizeof groups / sizeof *groups && rc == 0; g++) {
        for (int i = 0; i < groups[g].n && rc == 0; i++, n++) {
            char id[19], mobile[16], name[32], join[16];
            demo_id_number(n, groups[g].region, id);
            snprintf(mobile, sizeof mobile, "1391%07d", 2000000 + n);
            snprintf(name, sizeof name, "%s%s", demo_surnames[n % 15], demo_given[(n * 7) % 15]);
            snprintf(join, sizeof join, "%04d-%02d-%02d", 2019 + n % 6, 1 + n % 12, 1 + n % 27);
            json_t *b = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:s}", "name", name, "id_number", id, "mobile",
                                  mobile, "org_id", (json_int_t)d->org(d, groups[g].org), "employment_form",
                                  groups[g].form, "employer", groups[g].employer, "frontline", n % 3 != 0, "join_date", join);
            if (n % 11 == 0) json_object_set_new(b, "model_worker", json_string(n % 2 ? "city" : "provincial"));
            json_t *o = NULL;
            rc = member_create(x, b, &o, e);
            json_decref(o);
            json_decref(b);
        }
    }
    /* Applications waiting for the Nanjing and Yinchuan officers. */
    for (int i = 0; i < 4 && rc == 0; i++, n++) {
        char id[19], mobile[16], name[32];
        demo_id_number(n, i < 2 ? "320115" : "640104", id);
        snprintf(mobile, sizeof mobile, "1381%07d", 3000000 + n);
        snprintf(name, sizeof name, "%s%s", demo_surnames[(n + 3) % 15], demo_given[(n * 5) % 15]);
        json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "name", name, "id_number", id, "mobile", mobile,
                              "employment_form", i % 2 ? "ride_hailing" : "food_delivery", "employer", i % 2 ? "滴滴出行" : "美团",
                              "city", i < 2 ? "南京" : "银川", "org_id",
                              (json_int_t)d->org(d, i < 2 ? "jn_newjob" : "xq_riders"), "password", "Qishou2026");
        json_t *o = NULL;
        gh_actor anon = {0};
        snprintf(anon.client, sizeof anon.client, "demo");
        gh_ctx ax = *x;
        ax.actor = &anon;
        rc = join_submit(&ax, b, &o, e);
        json_decref(o);
        json_decref(b);
    }
    if (rc == 0) fprintf(out, "已写入演示会员 %d 人（含 4 份待审批的入会申请）\n", n - 4);
    return rc;
}
