import type { CommandModule } from './command.js';

/** One slmgr option: its name, its arguments in commander syntax, and where its code lives. */
export interface OptionSpec {
  readonly name: string;
  readonly args: string;
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

const later = () => import('./commands/not-available.js');

/** Every option the command line knows, in the order `--help` lists them. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'ipk',
    args: '<key>',
    summary: 'install a product key (- reads it from standard input)',
    load: () => import('./commands/ipk.js'),
  },
  {
    name: 'upk',
    args: '[activationId]',
    summary: 'uninstall the product key',
    load: () => import('./commands/upk.js'),
  },
  {
    name: 'cpky',
    args: '',
    summary: 'remove the stored copy of the product key',
    load: () => import('./commands/cpky.js'),
  },
  {
    name: 'dli',
    args: '[target]',
    summary: 'display licence information (activation ID or "all")',
    load: () => import('./commands/dli.js'),
  },
  {
    name: 'dlv',
    args: '[target]',
    summary: 'display detailed licence information',
    load: () => import('./commands/dlv.js'),
  },
  {
    name: 'xpr',
    args: '[activationId]',
    summary: 'when the current licence state ends',
    load: () => import('./commands/xpr.js'),
  },
  {
    name: 'dti',
    args: '[activationId]',
    summary: 'display the Installation ID for phone activation',
    load: () => import('./commands/dti.js'),
  },
  {
    name: 'rearm',
    args: '',
    summary: 'reset the licensing timers (uses one rearm)',
    load: () => import('./commands/rearm.js'),
  },
  {
    name: 'ilc',
    args: '<file>',
    summary: 'install a licence file',
    load: () => import('./commands/ilc.js'),
  },
  {
    name: 'rilc',
    args: '',
    summary: 'reinstall the licence files of the licence folder',
    load: () => import('./commands/rilc.js'),
  },
  {
    name: 'skms',
    args: '<address> [activationId]',
    summary: 'pin a volume host: name[:port], :port, [IPv6]:port',
    load: () => import('./commands/skms.js'),
  },
  {
    name: 'ckms',
    args: '[activationId]',
    summary: 'clear the pinned volume host (DNS discovery again)',
    load: () => import('./commands/ckms.js'),
  },
  {
    name: 'skms-domain',
    args: '<domain> [activationId]',
    summary: 'look for volume hosts in this DNS domain',
    load: () => import('./commands/skms-domain.js'),
  },
  {
    name: 'ckms-domain',
    args: '[activationId]',
    summary: 'clear the volume host DNS domain',
    load: () => import('./commands/ckms-domain.js'),
  },
  {
    name: 'skhc',
    args: '',
    summary: 'turn volume host caching on',
    load: () => import('./commands/skhc.js'),
  },
  {
    name: 'ckhc',
    args: '',
    summary: 'turn volume host caching off',
    load: () => import('./commands/ckhc.js'),
  },
  {
    name: 'act-type',
    args: '<type> [activationId]',
    summary: 'allowed volume activation: 0 all, 2 volume host, 3 token',
    load: () => import('./commands/act-type.js'),
  },
  {
    name: 'stao',
    args: '',
    summary: 'token-activation-only on',
    load: () => import('./commands/stao.js'),
  },
  {
    name: 'ctao',
    args: '',
    summary: 'token-activation-only off',
    load: () => import('./commands/ctao.js'),
  },
  {
    name: 'sai',
    args: '<minutes>',
    summary: 'volume host: activation interval, 15-43200 minutes',
    load: () => import('./commands/sai.js'),
  },
  {
    name: 'sri',
    args: '<minutes>',
    summary: 'volume host: renewal interval, 15-43200 minutes',
    load: () => import('./commands/sri.js'),
  },
  {
    name: 'sprt',
    args: '<port>',
    summary: 'volume host: listening port, 1-65535',
    load: () => import('./commands/sprt.js'),
  },
  {
    name: 'sdns',
    args: '',
    summary: 'volume host: DNS publishing on',
    load: () => import('./commands/sdns.js'),
  },
  {
    name: 'cdns',
    args: '',
    summary: 'volume host: DNS publishing off',
    load: () => import('./commands/cdns.js'),
  },
  {
    name: 'spri',
    args: '',
    summary: 'volume host: normal priority',
    load: () => import('./commands/spri.js'),
  },
  {
    name: 'cpri',
    args: '',
    summary: 'volume host: low priority',
    load: () => import('./commands/cpri.js'),
  },
  {
    name: 'lil',
    args: '',
    summary: 'list installed issuance licences',
    load: () => import('./commands/lil.js'),
  },
  {
    name: 'ril',
    args: '<ilid> <ilvid>',
    summary: 'remove an issuance licence',
    load: () => import('./commands/ril.js'),
  },
  {
    name: 'ato',
    args: '[activationId]',
    summary: 'activate: online with the vendor, or against a volume host with a volume client key',
    load: () => import('./commands/ato.js'),
  },
  {
    name: 'atp',
    args: '<confirmationId> [activationId]',
    summary: 'phone activation: deposit the Confirmation ID for /dti',
    load: () => import('./commands/atp.js'),
  },
  { name: 'ltc', args: '', summary: 'list token certificates (not available yet)', load: later },
  {
    name: 'fta',
    args: '<thumbprint> [pin]',
    summary: 'token activation (not available yet)',
    load: later,
  },
];

/** The option of that name (without its leading / or -), if there is one. */
export function findOption(name: string): OptionSpec | undefined {
  return OPTIONS.find((option) => option.name === name);
}
