// The type libsinsp gives evt.rawarg.<name> (libs 0.25.2), read from driver/event_table.c and the event codes of
// driver/ppm_events_public.h. libsinsp picks the parameter with the longest name that starts the argument, the first
// such in event-code order, parameter order (userspace/libsinsp/utils.cpp find_longest_matching_evt_param, called by
// sinsp_filter_check_event::extract_arg), and parses the comparison constants with that parameter's type
// (sinsp_filtercheck_event.cpp parse_filter_value, TYPE_ARGRAW). So an exact parameter name always gets the type of
// its first occurrence: res is ERRNO (close's exit event), flags FLAGS32, data BYTEBUF, sig SIGTYPE, although later
// events carry parameters of the same name with other types. Types are libsinsp's PT_ names without the prefix.
// Read at tag 0.25.2 with a small script (the entries "[PPME_X] = {name, category, flags, nparams, {{pname, PT_Y,
// ...}, ...}}" walked by event code, the first occurrence of each parameter name kept): 223 names.

/** The type of evt.rawarg.<name> for each event parameter name (exact names only). */
export const RAWARG_TYPES: Readonly<Record<string, string>> = {
  ID: 'SYSCALLID', nativeID: 'UINT16', name: 'FSPATH', flags: 'FLAGS32', mode: 'UINT32', fd: 'FD', dev: 'UINT32',
  ino: 'UINT64', res: 'ERRNO', size: 'UINT32', data: 'BYTEBUF', exe: 'CHARBUF', args: 'BYTEBUF', tid: 'PID',
  pid: 'PID', ptid: 'PID', cwd: 'CHARBUF', fdlimit: 'UINT64', uid: 'UINT32', gid: 'UINT32', domain: 'ENUMFLAGS32',
  type: 'UINT32', proto: 'UINT32', addr: 'SOCKADDR', tuple: 'SOCKTUPLE', backlog: 'INT32', queuepct: 'UINT8',
  how: 'ENUMFLAGS8', fd1: 'FD', fd2: 'FD', source: 'UINT64', peer: 'UINT64', level: 'ENUMFLAGS8',
  optname: 'ENUMFLAGS8', val: 'DYN', optlen: 'UINT32', msgcontrol: 'BYTEBUF', creat_flags: 'FLAGS16',
  initval: 'UINT64', op: 'FLAGS16', path: 'FSPATH', maxevents: 'ERRNO', fds: 'FDLIST', timeout: 'INT64',
  offset: 'UINT64', whence: 'ENUMFLAGS8', request: 'UINT64', dirfd: 'FD', oldpath: 'FSPATH', newpath: 'FSPATH',
  olddir: 'FD', newdir: 'FD', pos: 'UINT64', mask: 'UINT32', sig: 'SIGTYPE', interval: 'RELTIME', clockid: 'UINT8',
  resource: 'ENUMFLAGS8', cur: 'INT64', max: 'INT64', newcur: 'INT64', newmax: 'INT64', oldcur: 'INT64',
  oldmax: 'INT64', next: 'PID', ratio: 'UINT32', cmd: 'ENUMFLAGS8', arg: 'UINT64', pgft_maj: 'UINT64',
  pgft_min: 'UINT64', vm_size: 'UINT32', vm_rss: 'UINT32', vm_swap: 'UINT32', length: 'UINT64', prot: 'FLAGS32',
  pgoffset: 'UINT64', fd_in: 'FD', fd_out: 'FD', argument: 'UINT64', env: 'BYTEBUF', olddirfd: 'FD', newdirfd: 'FD',
  target: 'CHARBUF', linkpath: 'FSPATH', linkdirfd: 'FD', status: 'ERRNO', ret: 'ERRNO', core: 'UINT8',
  reaper_tid: 'PID', out_fd: 'FD', in_fd: 'FD', id: 'UINT32', quota_fmt: 'FLAGS8', special: 'CHARBUF',
  quotafilepath: 'CHARBUF', dqb_bhardlimit: 'UINT64', dqb_bsoftlimit: 'UINT64', dqb_curspace: 'UINT64',
  dqb_ihardlimit: 'UINT64', dqb_isoftlimit: 'UINT64', dqb_btime: 'RELTIME', dqb_itime: 'RELTIME',
  dqi_bgrace: 'RELTIME', dqi_igrace: 'RELTIME', dqi_flags: 'FLAGS8', quota_fmt_out: 'FLAGS8', ruid: 'UID',
  euid: 'UID', suid: 'UID', rgid: 'GID', egid: 'GID', sgid: 'GID', event_type: 'UINT32', event_data: 'UINT64',
  comm: 'CHARBUF', cgroups: 'BYTEBUF', vtid: 'PID', vpid: 'PID', pidns_init_start_ts: 'UINT64', image: 'CHARBUF',
  spid: 'PID', dpid: 'PID', cpu_usr: 'UINT64', cpu_sys: 'UINT64', nstype: 'FLAGS32', operation: 'FLAGS32',
  cpu: 'UINT32', action: 'UINT32', queuelen: 'UINT32', queuemax: 'UINT32', semid: 'INT32', nsops: 'UINT32',
  sem_num_0: 'UINT16', sem_op_0: 'INT16', sem_flg_0: 'FLAGS16', sem_num_1: 'UINT16', sem_op_1: 'INT16',
  sem_flg_1: 'FLAGS16', semnum: 'INT32', sigmask: 'SIGSET', dir: 'FSPATH', json: 'CHARBUF', key: 'INT32',
  nsems: 'INT32', semflg: 'FLAGS32', tags: 'CHARBUFARRAY', desc: 'CHARBUF', tty: 'INT32', description: 'CHARBUF',
  scope: 'CHARBUF', filename: 'FSPATH', ip: 'UINT64', error: 'FLAGS32', vpgid: 'PID', loginuid: 'UID',
  cap_inheritable: 'UINT64', cap_permitted: 'UINT64', cap_effective: 'UINT64', exe_ino: 'UINT64',
  exe_ino_ctime: 'ABSTIME', exe_ino_mtime: 'ABSTIME', trusted_exepath: 'FSPATH', pgid: 'PID', res_or_fd: 'DYN',
  plugin_id: 'UINT32', resolve: 'FLAGS32', pathname: 'FSRELPATH', fdin: 'FD', offin: 'UINT64', len: 'UINT64',
  fdout: 'FD', offout: 'UINT64', mountfd: 'FD', entries: 'UINT32', sq_entries: 'UINT32', cq_entries: 'UINT32',
  sq_thread_cpu: 'UINT32', sq_thread_idle: 'UINT32', features: 'FLAGS32', to_submit: 'UINT32',
  min_complete: 'UINT32', opcode: 'ENUMFLAGS16', nr_args: 'UINT32', home: 'CHARBUF', shell: 'CHARBUF',
  container_id: 'CHARBUF', oldfd: 'FD', newfd: 'FD', value_bytebuf: 'BYTEBUF', value_charbuf: 'CHARBUF',
  aux: 'INT32', option: 'ENUMFLAGS32', arg2_str: 'CHARBUF', arg2_int: 'INT64', pid_fd: 'FD', target_fd: 'FD',
  img: 'BYTEBUF', uargs: 'CHARBUF', ppid: 'PID32', sid: 'PID32', argv: 'CHARBUFARRAY', exepath: 'FSPATH',
  exe_ino_num: 'UINT64', vtgid: 'PID32', root: 'FSPATH', start_time: 'ABSTIME', ino_num: 'UINT64', mnt_id: 'UINT32',
  sk_type: 'UINT16', sk_proto: 'UINT16', local_ip: 'IPV4ADDR', local_port: 'PORT', remote_ip: 'IPV4ADDR',
  remote_port: 'PORT', sk_pointer: 'UINT64', sun_path: 'FSPATH', fd_type: 'FLAGS8', first: 'UINT32', last: 'UINT32',
  arg2: 'DYN', arg3: 'DYN', arg4: 'DYN', arg5: 'DYN',
};
