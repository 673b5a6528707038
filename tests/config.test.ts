import { describe, expect, it } from 'vitest';
import { ConfigError, isConsoleOnly, loadConfig } from '../src/config.js';

/** Configuration is checked once at start-up; every problem says, in Chinese, what to fix. */
describe(loadConfig.name, () => {
  it('has working defaults: the terminal chat on ./data/shenghuohui.db, reminders at 09:00', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('./data/shenghuohui.db');
    expect(config.REMIND_HOUR).toBe(9);
    expect(config.ADMIN_USERS).toEqual([]);
    expect(isConsoleOnly(config)).toBe(true);
  });

  it('leaves the dashboard off unless a port is set; an empty value counts as unset', () => {
    expect(loadConfig({}).DASHBOARD_PORT).toBeUndefined();
    expect(loadConfig({ DASHBOARD_PORT: '' }).DASHBOARD_PORT).toBeUndefined();
    const on = loadConfig({ DASHBOARD_PORT: '8930', DASHBOARD_URL: 'https://dj.example.cn/kanban/' });
    expect(on.DASHBOARD_PORT).toBe(8930);
    expect(on.DASHBOARD_URL).toBe('https://dj.example.cn/kanban');
    expect(on.DASHBOARD_LINK_MINUTES).toBe(10);
  });

  it('reads numbers and lists from the environment', () => {
    const config = loadConfig({ REMIND_HOUR: '10', ADMIN_USERS: 'wangsj, zhangsan，lisi', WECOM_BOT_ID: 'b', WECOM_BOT_SECRET: 's' });
    expect(config.REMIND_HOUR).toBe(10);
    expect(config.ADMIN_USERS).toEqual(['wangsj', 'zhangsan', 'lisi']);
    expect(isConsoleOnly(config)).toBe(false);
  });

  it.each([
    [{ REMIND_HOUR: '25' }, 'REMIND_HOUR'],
    [{ DIGEST_WEEKDAY: '8' }, 'DIGEST_WEEKDAY'],
    [{ WECOM_API_BASE: 'not a url' }, 'WECOM_API_BASE'],
    [{ WECOM_BOT_ID: 'bot' }, 'WECOM_BOT_SECRET'],
    [{ DINGTALK_CLIENT_SECRET: 'x' }, 'DINGTALK_CLIENT_ID'],
    [{ DASHBOARD_PORT: '70000' }, 'DASHBOARD_PORT'],
    [{ DASHBOARD_PORT: 'eighty' }, 'DASHBOARD_PORT'],
    [{ DASHBOARD_URL: 'dash.example' }, 'DASHBOARD_URL'],
    [{ DASHBOARD_LINK_MINUTES: '0' }, 'DASHBOARD_LINK_MINUTES'],
  ])('refuses %o with a Chinese message naming %s and pointing at .env.example', (env, name) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('配置有误');
    expect(message).toContain(name);
    expect(message).toMatch(/\.env\.example|同时填写/);
  });

  it('never echoes a secret in its messages', () => {
    expect(() => loadConfig({ WECOM_BOT_SECRET: 'very-secret-value' })).toThrow(ConfigError);
    try {
      loadConfig({ WECOM_BOT_SECRET: 'very-secret-value' });
    } catch (err) {
      expect((err as Error).message).not.toContain('very-secret-value');
    }
  });
});
