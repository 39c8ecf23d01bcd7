import { Construct } from 'constructs';
import { MicroserviceSystem, Target } from '../lib';
import { buildChat } from './chat';
import { buildLedger } from './ledger';
import { buildShop } from './shop';

/** The example apps; each builds its systems for a target. Adding one is one line. */
export const EXAMPLES: Array<(scope: Construct, target: Target) => MicroserviceSystem> = [buildShop, buildLedger, buildChat];
