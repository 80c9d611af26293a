import { ok } from '@slm/core/status';
import { targetArg } from '../args.js';
import { type CommandResult, report } from '../command.js';
import type { Context } from '../context.js';
import { readMachine } from '../machine.js';
import { detailedInfo, productInfo, productLines } from '../product-info.js';
import { selectProducts } from '../products.js';
import { VERSION } from '../version.js';
import { hostStatusInfo, hostStatusLines } from '../volume-host-status.js';

/**
 * `/dlv [ActID | all]`: `/dli` plus IDs, Installation ID, service URL and grant details; with a
 * volume host key, what the volume host running here reports (counts, requests, DNS publishing).
 */
export function run(ctx: Context, [text]: readonly string[]): CommandResult {
  const target = targetArg(text);
  if (!target.ok) return target;
  const infos = readMachine(ctx, (machine) => {
    const products = selectProducts(machine, target.value);
    if (!products.ok) return products;
    const found = products.value;
    const host = hostStatusInfo(ctx.home, machine, ctx.now);
    return ok(
      found.map((sku) => {
        const info = productInfo(ctx, machine, sku);
        const detail = detailedInfo(ctx, machine, sku);
        return { info, detail: { ...detail, hostStatus: info.volumeHost === null ? null : host } };
      }),
    );
  });
  if (!infos.ok) return infos;
  const lines = [`Software licensing service version: ${VERSION}`];
  for (const { info, detail } of infos.value) {
    const running = detail.hostStatus?.running === true ? detail.hostStatus : null;
    lines.push('', ...productLines(info, running), ...detailLines(detail));
    if (info.volumeHost !== null) lines.push(...hostStatusLines(ctx.home, detail.hostStatus));
  }
  const products = infos.value.map(({ info: { status: _s, ...info }, detail }) => ({
    ...info,
    ...detail,
  }));
  return report({ serviceVersion: VERSION, products }, lines);
}

function detailLines(detail: ReturnType<typeof detailedInfo>): string[] {
  // A Confirmation ID carries no extended product ID: core derives it as the service does.
  const derived = detail.grant?.kind === 'phone' ? ' (derived from the Installation ID)' : '';
  const lines = [
    `Application ID: ${detail.applicationId}`,
    `Extended PID: ${detail.extendedProductId ?? 'none (not activated)'}${derived}`,
    `Installation ID: ${detail.installationId ?? 'none (no product key installed)'}`,
    `Activation service URL: ${detail.serviceUrl}`,
    `Vendor: ${detail.vendor}`,
  ];
  if (detail.grant !== null) {
    lines.push(
      `Activation: ${detail.grant.kind} grant ${detail.grant.grantId}, activated ${new Date(detail.grant.activatedAt).toISOString()}`,
    );
  }
  if (detail.grantProblem !== null) lines.push(`Grant problem: ${detail.grantProblem}`);
  return lines;
}
