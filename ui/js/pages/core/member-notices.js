// member-notices.js — a member's message centre (/m/notices.html, phone
// first): what happened to their business (join request decided, booking
// confirmed or promoted from the waiting list, voucher won, aid decided),
// newest first, unread ones marked; opening one marks it read and goes to
// its page; 全部标为已读. The list itself is js/lib/notices.js.
import { h, mount, icon } from '../../lib/dom.js';
import { privatePage } from '../../lib/shell.js';
import { noticeList } from '../../lib/notices.js';

const app = document.getElementById('m-app');

boot();

async function boot() {
  if (!(await privatePage({ home: '/m/', app, head: document.getElementById('m-head-actions') }))) return;
  const box = h('div');
  mount(
    app,
    h('a', { class: 'back-link', href: '/m/' }, icon('arrowLeft', 16), '我的会员服务'),
    h(
      'div',
      { class: 'm-hello' },
      h('h1', '消息'),
      h('p', { class: 'muted' }, '入会、疗休养、消费券、帮扶救助等办理结果的通知'),
    ),
    h('section', { class: 'panel', 'aria-label': '消息列表' }, box),
  );
  noticeList(box, { empty: '暂时没有消息。入会审批、疗休养预订、消费券中签、救助审批有结果时会通知您。' });
}
