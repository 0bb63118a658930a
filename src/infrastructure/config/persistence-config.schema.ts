import 'reflect-metadata';
import { IsOptional } from 'class-validator';
import { IsDuration, IsIntIn, IsText } from '../eventbus';
import type { DatabaseConfig, InboxConfig, OutboxConfig } from './persistence.config';

export class DatabaseConfigSchema implements DatabaseConfig {
  @IsOptional()
  @IsText({
    pattern: /^postgres(ql)?:\/\/\S+$/,
    hint: 'must be a postgres:// connection string',
    secret: true,
  })
  url?: string;
  @IsText() dataDir!: string;
  @IsIntIn(1, 1000) poolSize!: number;
  @IsDuration({ positive: true }) connectionTimeout!: number;
  @IsDuration({ positive: true }) statementTimeout!: number;
}

export class OutboxConfigSchema implements OutboxConfig {
  @IsIntIn(1, 10_000) batchSize!: number;
  @IsIntIn(1, 64) concurrency!: number;
  @IsDuration({ positive: true }) pollInterval!: number;
  @IsDuration({ positive: true }) leaseDuration!: number;
  @IsDuration({ positive: true }) publishTimeout!: number;
  @IsIntIn(1, 10_000) maxAttempts!: number;
  @IsDuration({ positive: true }) initialBackoff!: number;
  @IsDuration({ positive: true }) maxBackoff!: number;
  @IsDuration({ positive: true }) retention!: number;
  @IsDuration({ positive: true }) cleanupInterval!: number;
}

export class InboxConfigSchema implements InboxConfig {
  @IsDuration({ positive: true }) retention!: number;
}
