/* member_module.c — the member module descriptor: members, online joining and transfers. */
#include "domain/core/module.h"

#include "domain/member/member.h"
#include "domain/core/demo.h"

static const gh_duty duties[] = {
    {DUTY_MEMBERSHIP, "membership", "会员管理"},
    {0},
};

static const gh_menu_sub also0[] = {
    {"/members/{id}", "会员详情", "member/member-detail"},
    {0},
};

static const gh_menu_item menu[] = {
    {"会员服务", "会员管理", "/members", "card", "member/members", also0, MENU_STAFF, 0, 200},
    {"会员服务", "入会审批", "/join-requests", "inbox", "member/join-requests", NULL, MENU_STAFF, DUTY_MEMBERSHIP, 210},
    {"会员服务", "会员导入", "/members/import", "upload", "member/member-import", NULL, MENU_OFFICER | MENU_ADMIN, DUTY_MEMBERSHIP, 220},
    {0},
};

const gh_module member_module = {
    .name = "member",
    .label = "会员服务",
    .duties = duties,
    .menu = menu,
    .demo = member_demo,
};
